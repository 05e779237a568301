package io.shardstore.protocol;

/** MongoDB's error codes and names (src/mongo/base/error_codes.yml) that this project returns. */
public enum ErrorCode {
    InternalError(1),
    BadValue(2),
    NoSuchKey(4),
    FailedToParse(9),
    UserNotFound(11),
    Unauthorized(13),
    AuthenticationFailed(18),
    TypeMismatch(14),
    Overflow(15),
    InvalidLength(16),
    ProtocolError(17),
    IllegalOperation(20),
    AlreadyInitialized(23),
    InvalidBSON(22),
    NamespaceNotFound(26),
    IndexNotFound(27),
    CursorNotFound(43),
    RoleNotFound(31),
    NamespaceExists(48),
    UserAlreadyExists(51003),
    MaxTimeMSExpired(50),
    DollarPrefixedFieldName(52),
    EmptyFieldName(56),
    CommandNotFound(59),
    ShardKeyNotFound(61),
    WriteConcernTimeout(64),
    ImmutableField(66),
    CannotCreateIndex(67),
    InvalidOptions(72),
    ShardNotFound(70),
    NodeNotFound(74),
    InvalidNamespace(73),
    NoReplicationEnabled(76),
    UnknownReplWriteConcern(79),
    IndexOptionsConflict(85),
    IndexKeySpecsConflict(86),
    CannotSplit(87),
    ShutdownInProgress(91),
    InvalidReplicaSetConfig(93),
    NotYetInitialized(94),
    NotSecondary(95),
    OperationFailed(96),
    UnsatisfiableWriteConcern(100),
    NewReplicaSetConfigurationIncompatible(103),
    CommandNotSupported(115),
    ConflictingOperationInProgress(117),
    NamespaceNotSharded(118),
    CommandFailed(125),
    FailedToSatisfyReadPreference(133),
    GraphContainsCycle(140),
    ViewDepthLimitExceeded(149),
    ZoneStillInUse(163),
    CommandNotSupportedOnView(166),
    OptionNotSupportedOnView(167),
    CommandOnShardedViewNotSupportedOnMongod(169),
    ZoneNotFound(177),
    RangeOverlapConflict(178),
    InvalidViewDefinition(182),
    CappedPositionLost(136),
    MaxStalenessOutOfRange(160),
    InconsistentReplicaSetNames(185),
    IncompatibleServerVersion(188),
    NoShardingEnabled(193),
    PrimarySteppedDown(189),
    IllegalOpMsgFlag(223),
    TransactionTooOld(225),
    TooManyDocumentSequences(233),
    NotImplemented(238),
    NoSuchTransaction(251),
    OperationNotSupportedInTransaction(263),
    ExceededTimeLimit(262),
    ChecksumMismatch(288),
    MechanismUnavailable(334),
    ReshardCollectionInProgress(338),
    NoSuchReshardCollection(339),
    ReshardCollectionCommitted(340),
    ReshardCollectionAborted(341),
    UnsupportedOpQueryCommand(352),
    DuplicateKey(11000),
    BSONObjectTooLarge(10334),
    NotWritablePrimary(10107),
    Interrupted(11601),
    InterruptedDueToReplStateChange(11602),
    StaleConfig(13388),
    NotPrimaryNoSecondaryOk(13435),
    NotPrimaryOrSecondary(13436),
    /** OP_MSG with a section kind other than 0 or 1 (mongod's assertion 40432). */
    UnknownSectionKind(40432),
    /** OP_MSG without, or with more than one, body section (mongod's assertions 40587 / 40430). */
    MissingBodySection(40587),
    MultipleBodySections(40430),
    /** OP_MSG body without a $db field (mongod's assertion 40571 in OpMsgRequest::getDatabase). */
    MissingDbArgument(40571);

    private final int code;

    /**
     * Errors after which a driver may retry a write elsewhere (the retryable writes specification's list:
     * HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress, PrimarySteppedDown, ExceededTimeLimit,
     * SocketException, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
     * NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary).
     */
    public static final java.util.Set<Integer> RETRYABLE_WRITE_CODES =
        java.util.Set.of(6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436);

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name of any code: this table's, else "Location" + code (mongod's name for an assertion number). */
    public static String nameOf(int code) {
        for (ErrorCode known : values()) {
            if (known.code == code) {
                return known.codeName();
            }
        }
        return code == 6 ? "HostUnreachable" : code == 7 ? "HostNotFound" : code == 89 ? "NetworkTimeout"
            : code == 9001 ? "SocketException" : code == 11600 ? "InterruptedAtShutdown" : "Location" + code;
    }

    /** The codeName a driver sees; assertion numbers (40000 and up here) are named "Location" + code, as mongod names them. */
    public String codeName() {
        return code >= 40000 ? "Location" + code : name();
    }
}
