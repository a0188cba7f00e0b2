# What boto3 users call, against a server under test: tagging, multipart (by hand and by the
# transfer manager), ACLs and ownership controls, conditional writes and reads, a browser
# form signed by generate_presigned_post, and versions (versioning, lifecycle, tagging by version). Prints "ok NAME" per check; any failure exits non-zero.
# Usage: python3 boto3_usage.py ENDPOINT BUCKET WORKDIR
import hashlib
import os
import sys
import urllib.error
import urllib.request
import uuid

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client("s3", endpoint_url=endpoint,
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
MIB = 1024 * 1024


def check(name, condition, detail=""):
    if not condition:
        sys.exit("FAILED %s: %r" % (name, detail))
    print("ok " + name)


def error_of(call):
    """(code, HTTP status) of the ClientError the call raises, or None when it succeeds."""
    try:
        call()
        return None
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]


def tags_of(key):
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


s3.create_bucket(Bucket=bucket)

# ---- tagging
s3.put_object(Bucket=bucket, Key="tagged.txt", Body=b"hello", Tagging="team=storage&env=test")
check("tags given on put", tags_of("tagged.txt") == {"team": "storage", "env": "test"}, tags_of("tagged.txt"))
s3.put_object_tagging(Bucket=bucket, Key="tagged.txt", Tagging={"TagSet": [{"Key": "stage", "Value": "done"}]})
check("tags replaced", tags_of("tagged.txt") == {"stage": "done"}, tags_of("tagged.txt"))
check("tag count on get", s3.get_object(Bucket=bucket, Key="tagged.txt")["TagCount"] == 1)
s3.delete_object_tagging(Bucket=bucket, Key="tagged.txt")
check("tags deleted", tags_of("tagged.txt") == {})
too_many = {"TagSet": [{"Key": "k%d" % i, "Value": "v"} for i in range(11)]}
check("eleven tags refused", error_of(lambda: s3.put_object_tagging(Bucket=bucket, Key="tagged.txt", Tagging=too_many))
      == ("InvalidTag", 400))
s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "owner", "Value": "ops"}]})
check("bucket tags", s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "owner", "Value": "ops"}])

# ---- multipart by hand
upload = s3.create_multipart_upload(Bucket=bucket, Key="parts.bin", ContentType="application/x-test",
                                    Metadata={"origin": "boto3"}, Tagging="kind=parts")
parts = [b"a" * (5 * MIB), b"b" * 1024]
etags = []
for number, data in enumerate(parts, start=1):
    etags.append(s3.upload_part(Bucket=bucket, Key="parts.bin", UploadId=upload["UploadId"], PartNumber=number, Body=data)["ETag"])
listed = s3.list_parts(Bucket=bucket, Key="parts.bin", UploadId=upload["UploadId"])["Parts"]
check("parts listed", [p["PartNumber"] for p in listed] == [1, 2] and [p["Size"] for p in listed] == [5 * MIB, 1024], listed)
done = s3.complete_multipart_upload(Bucket=bucket, Key="parts.bin", UploadId=upload["UploadId"], MultipartUpload={
    "Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, start=1)]})
check("multipart etag", done["ETag"].strip('"').endswith("-2"), done["ETag"])
head = s3.head_object(Bucket=bucket, Key="parts.bin")
check("multipart object", head["ContentLength"] == 5 * MIB + 1024 and head["ContentType"] == "application/x-test"
      and head["Metadata"] == {"origin": "boto3"}, head)
check("multipart tags", tags_of("parts.bin") == {"kind": "parts"})
check("part read back", s3.get_object(Bucket=bucket, Key="parts.bin", PartNumber=2)["Body"].read() == parts[1])
aborted = s3.create_multipart_upload(Bucket=bucket, Key="aborted.bin")["UploadId"]
s3.abort_multipart_upload(Bucket=bucket, Key="aborted.bin", UploadId=aborted)
check("aborted upload gone", error_of(lambda: s3.list_parts(Bucket=bucket, Key="aborted.bin", UploadId=aborted))
      == ("NoSuchUpload", 404))

# ---- multipart by the transfer manager
path = os.path.join(workdir, "twelve-mib.bin")
with open(path, "wb") as f:
    for i in range(12):
        f.write(bytes([i]) * MIB)
config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=3)
s3.upload_file(path, bucket, "transfer/twelve-mib.bin", Config=config)
copy = os.path.join(workdir, "twelve-mib.copy")
s3.download_file(bucket, "transfer/twelve-mib.bin", copy, Config=config)
with open(path, "rb") as a, open(copy, "rb") as b:
    check("transfer manager round trip", hashlib.md5(a.read()).digest() == hashlib.md5(b.read()).digest())
check("transfer manager used parts", s3.head_object(Bucket=bucket, Key="transfer/twelve-mib.bin")["ETag"].endswith('-3"'))

# ---- ACLs and ownership controls
s3.put_object(Bucket=bucket, Key="acl.txt", Body=b"x", ACL="private")
grants = s3.get_object_acl(Bucket=bucket, Key="acl.txt")["Grants"]
check("object acl", [g["Permission"] for g in grants] == ["FULL_CONTROL"], grants)
s3.put_bucket_acl(Bucket=bucket, ACL="private")
check("bucket acl", [g["Permission"] for g in s3.get_bucket_acl(Bucket=bucket)["Grants"]] == ["FULL_CONTROL"])
s3.put_object_acl(Bucket=bucket, Key="acl.txt", ACL="bucket-owner-full-control")
check("unknown canned acl", error_of(lambda: s3.put_object_acl(Bucket=bucket, Key="acl.txt", ACL="everyone-please"))
      == ("InvalidArgument", 400))
s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
check("ownership controls", s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
      == [{"ObjectOwnership": "BucketOwnerEnforced"}])
check("acls refused when enforced", error_of(lambda: s3.put_object(Bucket=bucket, Key="public.txt", Body=b"x", ACL="public-read"))
      == ("AccessControlListNotSupported", 400))
s3.delete_bucket_ownership_controls(Bucket=bucket)


# ---- conditional writes and reads
def put_if(key, body, if_none_match=None, if_match=None):
    """PutObject with a condition: the IfNoneMatch/IfMatch parameters where botocore has them
    (1.35 and later), else the headers added by an event handler, as users of older versions do."""
    params = s3.meta.service_model.operation_model("PutObject").input_shape.members
    if "IfNoneMatch" in params:
        extra = {k: v for k, v in (("IfNoneMatch", if_none_match), ("IfMatch", if_match)) if v}
        return s3.put_object(Bucket=bucket, Key=key, Body=body, **extra)

    def add_headers(params, **kwargs):
        if if_none_match:
            params["headers"]["If-None-Match"] = if_none_match
        if if_match:
            params["headers"]["If-Match"] = if_match

    handler_id = "conditional-" + uuid.uuid4().hex
    s3.meta.events.register("before-call.s3.PutObject", add_headers, unique_id=handler_id)
    try:
        return s3.put_object(Bucket=bucket, Key=key, Body=body)
    finally:
        s3.meta.events.unregister("before-call.s3.PutObject", unique_id=handler_id)


first = put_if("cond.txt", b"first", if_none_match="*")
check("create only if absent", first["ETag"] == '"%s"' % hashlib.md5(b"first").hexdigest())
check("second create refused", error_of(lambda: put_if("cond.txt", b"again", if_none_match="*")) == ("PreconditionFailed", 412))
second = put_if("cond.txt", b"second", if_match=first["ETag"])
check("replace the version read", s3.get_object(Bucket=bucket, Key="cond.txt")["Body"].read() == b"second")
check("stale replace refused", error_of(lambda: put_if("cond.txt", b"third", if_match=first["ETag"])) == ("PreconditionFailed", 412))
check("read if changed", error_of(lambda: s3.get_object(Bucket=bucket, Key="cond.txt", IfNoneMatch=second["ETag"])) == ("304", 304))
check("read if unchanged", error_of(lambda: s3.get_object(Bucket=bucket, Key="cond.txt", IfMatch=first["ETag"]))
      == ("PreconditionFailed", 412))

# ---- a browser form, signed by generate_presigned_post
post = s3.generate_presigned_post(bucket, "forms/${filename}", Fields={"Content-Type": "text/plain"},
                                  Conditions=[{"Content-Type": "text/plain"}, ["content-length-range", 1, 1024]], ExpiresIn=600)
boundary = "----boto3form" + uuid.uuid4().hex
body = b""
for name, value in post["fields"].items():
    body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, name, value)).encode()
body += ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n"
         % boundary).encode() + b"posted by a form" + ("\r\n--%s--\r\n" % boundary).encode()
request = urllib.request.Request(post["url"], data=body, method="POST",
                                 headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
try:
    with urllib.request.urlopen(request) as answer:
        check("form upload answered", answer.status == 204, answer.status)
except urllib.error.HTTPError as e:
    check("form upload answered", False, (e.code, e.read(), sorted(post["fields"])))
form_object = s3.get_object(Bucket=bucket, Key="forms/note.txt")
check("form upload stored", form_object["Body"].read() == b"posted by a form" and form_object["ContentType"] == "text/plain")

# ---- versions: versioning, tagging by version, delete markers, lifecycle rules for noncurrent versions
versioned = bucket + "-versions"
s3.create_bucket(Bucket=versioned)
s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})
check("versioning enabled", s3.get_bucket_versioning(Bucket=versioned)["Status"] == "Enabled")
v1 = s3.put_object(Bucket=versioned, Key="doc", Body=b"one", Tagging="v=1")["VersionId"]
v2 = s3.put_object(Bucket=versioned, Key="doc", Body=b"two")["VersionId"]
check("each put a version", v1 and v2 and v1 != v2, (v1, v2))
check("old version read", s3.get_object(Bucket=versioned, Key="doc", VersionId=v1)["Body"].read() == b"one")
tagged = s3.put_object_tagging(Bucket=versioned, Key="doc", VersionId=v1, Tagging={"TagSet": [{"Key": "stage", "Value": "old"}]})
old_tags = s3.get_object_tagging(Bucket=versioned, Key="doc", VersionId=v1)
check("tagging by version", tagged["VersionId"] == v1 and old_tags["VersionId"] == v1
      and old_tags["TagSet"] == [{"Key": "stage", "Value": "old"}], old_tags)
check("current version's tags untouched", s3.get_object_tagging(Bucket=versioned, Key="doc")["TagSet"] == [])
marker = s3.delete_object(Bucket=versioned, Key="doc")
check("delete marker", marker["DeleteMarker"] and marker["VersionId"] not in (v1, v2), marker)
check("a marker has no tags", error_of(lambda: s3.get_object_tagging(Bucket=versioned, Key="doc", VersionId=marker["VersionId"]))
      == ("MethodNotAllowed", 405))
listed = s3.list_object_versions(Bucket=versioned, Prefix="doc")
check("versions listed", [v["VersionId"] for v in listed["Versions"]] == [v2, v1]
      and [m["VersionId"] for m in listed["DeleteMarkers"]] == [marker["VersionId"]], listed)
s3.delete_object(Bucket=versioned, Key="doc", VersionId=marker["VersionId"])
check("marker removed by id", s3.get_object(Bucket=versioned, Key="doc")["Body"].read() == b"two")
rules = {"Rules": [{"ID": "old-versions", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
                    "NoncurrentVersionTransitions": [{"NoncurrentDays": 7, "StorageClass": "GLACIER"}],
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2}}]}
s3.put_bucket_lifecycle_configuration(Bucket=versioned, LifecycleConfiguration=rules)
rule = s3.get_bucket_lifecycle_configuration(Bucket=versioned)["Rules"][0]
check("noncurrent rules round trip", rule["NoncurrentVersionTransitions"] == [{"NoncurrentDays": 7, "StorageClass": "EC_8_4"}]
      and rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30, "NewerNoncurrentVersions": 2}, rule)
