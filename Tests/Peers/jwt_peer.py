#!/usr/bin/env python3
"""JWT peer for the AudoticsAuth interoperability tests: PyJWT (with `cryptography`) on one side, our
Ed25519 access tokens on the other.

    jwt_peer.py verify JWKS_FILE ISSUER AUDIENCE TOKEN       verify TOKEN with the key its kid names in a
                                                             JWKS document; print "OK <claims JSON>"
    jwt_peer.py verify-pem PUBLIC_PEM ISSUER AUDIENCE TOKEN  the same with a public key in PEM
    jwt_peer.py sign PRIVATE_PEM KID ISSUER AUDIENCE SUB     print an EdDSA token PyJWT signs with our key
    jwt_peer.py sign-hs256 SECRET KID ISSUER AUDIENCE SUB    print an HS256 token with SECRET (e.g. the JWK x)
    jwt_peer.py sign-hs256-pem PUBLIC_PEM KID ISSUER AUDIENCE SUB
                                                             an HS256 token whose HMAC key is the public PEM
                                                             (the classic key-confusion attack; built by hand,
                                                             as PyJWT refuses PEM text as an HMAC secret)
    jwt_peer.py sign-none KID ISSUER AUDIENCE SUB            print an unsigned token (alg none) from PyJWT
    jwt_peer.py thumbprint PUBLIC_PEM                        print the RFC 7638 JWK thumbprint of the key

Failures print "FAIL <exception class>: <message>" and exit 1. Tokens and keys are never printed except
the tokens the sign commands are asked for.
"""
import base64
import hashlib
import hmac
import json
import sys
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def claims(issuer, audience, subject):
    now = int(time.time())
    return {"sub": subject, "iss": issuer, "aud": audience, "iat": now, "nbf": now, "exp": now + 900,
            "jti": uuid.uuid4().hex, "scope": "playlists:write profile"}


def decode(token, key, issuer, audience):
    return jwt.decode(token, key, algorithms=["EdDSA"], audience=audience, issuer=issuer,
                      options={"require": ["exp", "iat", "nbf", "sub", "iss", "aud", "jti"]})


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "verify":
        jwks_file, issuer, audience, token = args
        with open(jwks_file) as f:
            jwks = jwt.PyJWKSet.from_json(f.read())
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in jwks.keys if k.key_id == kid)
        print("OK " + json.dumps(decode(token, key, issuer, audience), sort_keys=True))
    elif command == "verify-pem":
        pem_file, issuer, audience, token = args
        with open(pem_file, "rb") as f:
            key = serialization.load_pem_public_key(f.read())
        print("OK " + json.dumps(decode(token, key, issuer, audience), sort_keys=True))
    elif command == "sign":
        pem_file, kid, issuer, audience, subject = args
        with open(pem_file, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        print(jwt.encode(claims(issuer, audience, subject), key, algorithm="EdDSA", headers={"kid": kid}))
    elif command == "sign-hs256":
        secret, kid, issuer, audience, subject = args
        print(jwt.encode(claims(issuer, audience, subject), secret, algorithm="HS256", headers={"kid": kid}))
    elif command == "sign-hs256-pem":
        pem_file, kid, issuer, audience, subject = args
        with open(pem_file, "rb") as f:
            secret = f.read()
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
        payload = b64url(json.dumps(claims(issuer, audience, subject)).encode())
        signing_input = (header + "." + payload).encode()
        print(header + "." + payload + "." + b64url(hmac.new(secret, signing_input, hashlib.sha256).digest()))
    elif command == "sign-none":
        kid, issuer, audience, subject = args
        print(jwt.encode(claims(issuer, audience, subject), None, algorithm="none", headers={"kid": kid}))
    elif command == "thumbprint":
        (pem_file,) = args
        with open(pem_file, "rb") as f:
            key = serialization.load_pem_public_key(f.read())
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}, separators=(",", ":"),
                               sort_keys=True)
        print(b64url(hashlib.sha256(canonical.encode()).digest()))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Exception as error:  # report any failure as one line, for the Swift test to show
        print(f"FAIL {type(error).__name__}: {error}")
        sys.exit(1)
