// mongosh 2.x against an uninitiated 4-member set (two data members, a hidden delayed member, an arbiter).
// The test prepends: const setName = '...'; const ports = [p0, p1, p2, p3];
function check(cond, what) {
  if (!cond) {
    throw new Error('mongosh replset failed: ' + what);
  }
}
function waitFor(cond, what, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if (cond()) return;
    } catch (e) {
      // not yet
    }
    sleep(50);
  }
  throw new Error('mongosh replset failed: timed out waiting for ' + what);
}
const host = i => 'localhost:' + ports[i];
const init = rs.initiate({
  _id: setName,
  members: [
    { _id: 0, host: host(0) },
    { _id: 1, host: host(1) },
    { _id: 2, host: host(2), priority: 0, hidden: true, secondaryDelaySecs: 5, votes: 0 },
    { _id: 3, host: host(3), arbiterOnly: true }
  ],
  settings: { heartbeatIntervalMillis: 250, electionTimeoutMillis: 1000 }
});
check(init.ok === 1, 'rs.initiate: ' + JSON.stringify(init));
waitFor(() => {
  const st = rs.status();
  const names = st.members.map(m => m.stateStr).sort().join(',');
  return names === 'ARBITER,PRIMARY,SECONDARY,SECONDARY';
}, 'rs.status() with a primary, two secondaries and an arbiter', 20000);
const st = rs.status();
check(st.set === setName && st.members.every(m => m.optime && m.optime.ts !== undefined), 'rs.status optimes');
const conf = rs.conf();
check(conf._id === setName && conf.members.length === 4, 'rs.conf members');
check(conf.members[2].hidden === true && Number(conf.members[2].secondaryDelaySecs) === 5, 'rs.conf delayed member');
check(conf.members[3].arbiterOnly === true, 'rs.conf arbiter');

db = connect('mongodb://' + host(0) + ',' + host(1) + '/test?replicaSet=' + setName);
const hello = rs.isMaster();
check(hello.setName === setName && hello.ismaster === true, 'rs.isMaster: ' + JSON.stringify(hello));
check(hello.hosts.length === 2 && hello.arbiters.length === 1 && hello.arbiters[0] === host(3), 'rs.isMaster lists');
const first = hello.primary;
db.getSiblingDB('app').notes.insertOne({ _id: 1, text: 'replicated' });
try {
  rs.stepDown(30);
} catch (e) {
  // older shells saw the connection close; mongosh gets ok
}
waitFor(() => {
  const h = rs.isMaster();
  return h.ismaster === true && h.primary !== first;
}, 'a new primary after rs.stepDown()', 20000);
db.getSiblingDB('app').notes.insertOne({ _id: 2, text: 'after stepDown' });
check(db.getSiblingDB('app').notes.countDocuments({}) === 2, 'both documents on the new primary');
rs.secondaryOk();
db.getMongo().setReadPref('secondary');
waitFor(() => db.getSiblingDB('app').notes.countDocuments({}) === 2, 'reads from a secondary', 10000);
print('mongosh replset: ok');
