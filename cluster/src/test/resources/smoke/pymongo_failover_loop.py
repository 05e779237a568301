# The failover loop from the user's notes (python 2 there; python 3 and pymongo 3.11 here), inserting N documents
# while the test steps the primary down and kills it.
# usage: pymongo_failover_loop.py SETNAME PORT1,PORT2,PORT3 loop|plain N DOC_SLEEP RETRY_SLEEP
#   loop:  the notes' connection without retryable writes (retryWrites=False); the loop retries: 3 tries,
#          DuplicateKeyError counts as done (the earlier try got in), any other error is printed, then a sleep.
#   plain: the driver's defaults (retryable writes, no write concern given) and no loop: one insert_one per document.
# Prints "progress I" after each document, "gave up I" when the loop's 3 tries all failed, and "done" at the end.
import sys
import time

import pymongo
from pymongo.errors import DuplicateKeyError

name, ports, mode, n = sys.argv[1], sys.argv[2].split(","), sys.argv[3], int(sys.argv[4])
doc_sleep, retry_sleep = float(sys.argv[5]), float(sys.argv[6])
hosts = ["mongodb://localhost:" + p for p in ports]

if mode == "loop":
    c = pymongo.MongoClient(host=hosts, replicaSet=name, w="majority", j=True, retryWrites=False,
                            serverSelectionTimeoutMS=30000)
else:
    c = pymongo.MongoClient(host=hosts, replicaSet=name, serverSelectionTimeoutMS=30000)
coll = c.notes.failover

for i in range(n):
    doc = {"i": i}  # insert_one gives it an _id on the first try; later tries send the same _id
    if mode == "loop":
        done = False
        for retries in range(0, 3):
            try:
                coll.insert_one(doc)
                done = True
                break
            except DuplicateKeyError:
                done = True
                break
            except Exception as e:
                print("try %d of document %d failed: %r" % (retries + 1, i, e))
                sys.stdout.flush()
                time.sleep(retry_sleep)
        if not done:
            print("gave up %d" % i)
    else:
        coll.insert_one(doc)
    print("progress %d" % i)
    sys.stdout.flush()
    time.sleep(doc_sleep)
print("done")
