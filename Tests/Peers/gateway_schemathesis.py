#!/usr/bin/env python3
"""Schemathesis against the gateway's own /openapi.json, as a signed-in user.

    gateway_schemathesis.py --url https://localhost:PORT --tls-ca FILE [--max-examples N] [--seed N]

Registers a user (httpx) so that generated requests carry a valid bearer token, then runs `schemathesis run` with
Tests/Peers/schemathesis.toml (checks, limits). Exits with schemathesis's status: 0 when it found no server error
and no response that violates the document.
"""
import argparse
import os
import re
import ssl
import subprocess
import sys
import tempfile
import uuid

import httpx

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--tls-ca", required=True)
    parser.add_argument("--max-examples", type=int)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("AUDOTICS_SCHEMATHESIS_SEED", "20261207")))
    args = parser.parse_args()

    with httpx.Client(base_url=args.url, verify=ssl.create_default_context(cafile=args.tls_ca), timeout=30) as client:
        response = client.post("/v1/users:register",
                               json={"email": f"fuzz-{uuid.uuid4().hex[:12]}@example.org", "password": "schemathesis fuzzing"})
        if response.status_code != 201:
            print(f"could not register: {response.status_code} {response.text}", flush=True)
            return 1
        token = response.json()["tokens"]["accessToken"]

    command = [os.path.join(os.path.dirname(sys.executable), "schemathesis"), "--no-color",
               "--config-file", os.path.join(HERE, "schemathesis.toml"), "run", args.url + "/openapi.json",
               "--tls-verify", args.tls_ca, "--seed", str(args.seed), "--no-shrink"]
    if args.max_examples:
        command += ["--max-examples", str(args.max_examples)]
    print("running: " + " ".join(command), flush=True)
    with tempfile.TemporaryDirectory() as scratch:  # schemathesis keeps a .schemathesis/ cache in its working folder
        run = subprocess.run(command, env=dict(os.environ, AUDOTICS_TOKEN=token), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, cwd=scratch)
    print(run.stdout, flush=True)
    if run.returncode != 0:
        return run.returncode
    # A pass must have reached every operation the document lists, with test cases generated for them.
    with httpx.Client(base_url=args.url, verify=ssl.create_default_context(cafile=args.tls_ca), timeout=30) as client:
        document = client.get("/openapi.json").json()
    operations = sum(1 for item in document["paths"].values() for method in item
                     if method in ("get", "put", "post", "delete", "patch"))
    tested = re.search(r"Tested: (\d+)", run.stdout)
    generated = re.search(r"(\d+) generated", run.stdout)
    if not tested or int(tested.group(1)) != operations or not generated or int(generated.group(1)) < 5 * operations:
        print(f"schemathesis did not test all {operations} operations with enough cases "
              f"(tested: {tested and tested.group(1)}, generated: {generated and generated.group(1)})", flush=True)
        return 1
    print(f"schemathesis: {operations} operations, {generated.group(1)} test cases, no failure", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
