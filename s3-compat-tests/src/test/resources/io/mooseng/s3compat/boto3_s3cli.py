# The few `aws s3` commands AwsCliTest uses, on Debian's python3-boto3, for machines without
# Debian's awscli. Output mimics `aws s3` where the test reads it (ls).
# Usage: python3 -c "<this file>" ENDPOINT COMMAND ARGS...
import os
import sys

import boto3
from botocore.config import Config

endpoint, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
s3 = boto3.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
recursive = "--recursive" in args
args = [a for a in args if a != "--recursive"]


def split(url):
    bucket, _, key = url[len("s3://"):].partition("/")
    return bucket, key


def objects(bucket, prefix, delimiter=None):
    kwargs = {"Bucket": bucket, "Prefix": prefix}
    if delimiter:
        kwargs["Delimiter"] = delimiter
    for page in s3.get_paginator("list_objects_v2").paginate(**kwargs):
        for p in page.get("CommonPrefixes", []):
            yield "PRE", p["Prefix"]
        for o in page.get("Contents", []):
            yield o, o["Key"]


def stamp(t):
    return t.astimezone().strftime("%Y-%m-%d %H:%M:%S")


if command == "mb":
    s3.create_bucket(Bucket=split(args[0])[0])
    print("make_bucket: " + split(args[0])[0])
elif command == "rb":
    s3.delete_bucket(Bucket=split(args[0])[0])
    print("remove_bucket: " + split(args[0])[0])
elif command == "ls" and not args:
    for b in s3.list_buckets()["Buckets"]:
        print(stamp(b["CreationDate"]) + " " + b["Name"])
elif command == "ls":
    bucket, prefix = split(args[0])
    for o, key in objects(bucket, prefix, None if recursive else "/"):
        shown = key if recursive else key[len(prefix):]
        if o == "PRE":
            print("%30s %s" % ("PRE", shown))
        else:
            print("%s %10d %s" % (stamp(o["LastModified"]), o["Size"], shown))
elif command == "cp" and args[0].startswith("s3://"):
    bucket, key = split(args[0])
    s3.download_file(bucket, key, args[1])
    print("download: %s to %s" % (args[0], args[1]))
elif command == "cp":
    bucket, key = split(args[1])
    s3.upload_file(args[0], bucket, key)
    print("upload: %s to %s" % (args[0], args[1]))
elif command == "sync":
    bucket, prefix = split(args[1])
    prefix = prefix.rstrip("/") + "/" if prefix else ""
    remote = {key: o["Size"] for o, key in objects(bucket, prefix)}
    for root, _, files in os.walk(args[0]):
        for name in sorted(files):
            path = os.path.join(root, name)
            key = prefix + os.path.relpath(path, args[0]).replace(os.sep, "/")
            if remote.get(key) != os.path.getsize(path):
                s3.upload_file(path, bucket, key)
                print("upload: %s to s3://%s/%s" % (path, bucket, key))
elif command == "rm" and recursive:
    bucket, prefix = split(args[0])
    for _, key in list(objects(bucket, prefix)):
        s3.delete_object(Bucket=bucket, Key=key)
        print("delete: s3://%s/%s" % (bucket, key))
else:
    sys.exit("unsupported: " + " ".join(sys.argv[2:]))
