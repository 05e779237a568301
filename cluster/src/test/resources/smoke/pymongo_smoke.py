"""Smoke test with pymongo 3.11 (Debian's python3-pymongo): usage: pymongo_smoke.py MONGODB_URI"""
import sys

import pymongo
from pymongo.errors import DuplicateKeyError, OperationFailure

uri = sys.argv[1]
client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=10000)
db = client.pysmoke
db.people.drop()

result = db.people.insert_many([{"name": n, "age": a} for n, a in [("ann", 31), ("bob", 25), ("cy", 42), ("di", 25)]])
assert len(result.inserted_ids) == 4, result.inserted_ids

names = [d["name"] for d in db.people.find({}, sort=[("age", pymongo.DESCENDING), ("name", pymongo.ASCENDING)])]
assert names == ["cy", "ann", "bob", "di"], names

updated = db.people.update_many({"age": 25}, {"$inc": {"age": 1}, "$set": {"bumped": True}})
assert updated.matched_count == 2 and updated.modified_count == 2, updated.raw_result
assert db.people.count_documents({"bumped": True, "age": 26}) == 2

groups = list(db.people.aggregate([
    {"$group": {"_id": "$age", "n": {"$sum": 1}}},
    {"$sort": {"_id": 1}},
]))
assert groups == [{"_id": 26, "n": 2}, {"_id": 31, "n": 1}, {"_id": 42, "n": 1}], groups

index = db.people.create_index([("name", pymongo.ASCENDING)], unique=True)
assert index == "name_1", index
assert "name_1" in db.people.index_information()
try:
    db.people.insert_one({"name": "ann"})
    raise AssertionError("duplicate name was accepted")
except DuplicateKeyError as e:
    assert e.code == 11000, e.details

# Multi-document transactions are not implemented: the first statement is refused (263) and nothing is written,
# where the fields were once ignored and each statement applied at once.
with client.start_session() as session:
    try:
        with session.start_transaction():
            db.people.insert_one({"name": "tx-1"}, session=session)
            db.people.insert_one({"name": "tx-2"}, session=session)
        raise AssertionError("a transaction ran")
    except OperationFailure as e:
        assert e.code == 263, e.details
assert db.people.count_documents({"name": {"$in": ["tx-1", "tx-2"]}}) == 0

db.people.drop()
assert "people" not in db.list_collection_names()
print("pymongo smoke: ok (pymongo %s)" % pymongo.version)
