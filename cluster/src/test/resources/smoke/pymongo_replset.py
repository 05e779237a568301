# The connection from the user's notes, against a 3-member set whose config defines disasterProof.
# usage: pymongo_replset.py SETNAME PORT1 PORT2 PORT3
import sys
import pymongo

name, p1, p2, p3 = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

c = pymongo.MongoClient(host=["mongodb://localhost:" + p1,
                              "mongodb://localhost:" + p2,
                              "mongodb://localhost:" + p3],
                        replicaSet=name,
                        w="disasterProof", j=True, serverSelectionTimeoutMS=20000)
test = c.notes.test
test.drop()
for i in range(100):
    test.insert_one({"_id": i, "n": i})
assert test.count_documents({}) == 100, test.count_documents({})
status = c.admin.command("replSetGetStatus")
assert status["set"] == name
assert len(status["members"]) == 3
assert c.admin.command("ismaster")["setName"] == name

# Only one host listed: the others are discovered.
one = pymongo.MongoClient(host=["mongodb://localhost:" + p3], replicaSet=name, w="disasterProof", j=True,
                          serverSelectionTimeoutMS=20000)
one.notes.test.insert_one({"_id": "one-seed"})
assert one.notes.test.count_documents({}) == 101
# The driver's defaults (retryable writes on): a step-down while the insert waits for its write concern answers
# PrimarySteppedDown (189) as a write concern error; pymongo 3.x retries it only when the label is inside that error.
plain = pymongo.MongoClient(host=["mongodb://localhost:" + p1], replicaSet=name, serverSelectionTimeoutMS=20000)
plain.admin.command({"configureFailPoint": "failCommand", "mode": {"times": 1},
                     "data": {"failCommands": ["insert"],
                              "writeConcernError": {"code": 189, "codeName": "PrimarySteppedDown",
                                                    "errmsg": "primary stepped down while waiting for replication"}}})
try:
    plain.notes.retried.insert_one({"_id": "wce"})
finally:
    plain.admin.command({"configureFailPoint": "failCommand", "mode": "off"})
assert plain.notes.retried.count_documents({"_id": "wce"}) == 1
print("pymongo replset: ok")
