#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the capture the README's screenshots are taken from (NDJSON, native envelope): two minutes of
a booking flow at about 40 events/s, an email gateway whose breaker opens and tries a few milliseconds
of half-open twice before it closes, and an SMS provider whose breaker flaps (51 transitions in a
minute). Deterministic: the same file every time.

usage: screenshot-capture.py OUT.ndjson
"""
import json
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

START = datetime(2026, 11, 29, 10, 0, 0, tzinfo=timezone.utc)
rng = random.Random(7)
events = []


def ident():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def add(t, type_, source, payload, correlation=None, causation=None):
    e = {"id": ident(), "type": type_, "timestamp": (START + timedelta(seconds=t)).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
         "source": source, "payload": payload}
    if correlation:
        e["correlationId"] = correlation
    if causation:
        e["causationId"] = causation
    events.append((t, e))
    return e["id"]


def breaker(t, name, frm, to, reason=None):
    payload = {"breaker": name, "from": frm, "to": to}
    if reason:
        payload["reason"] = reason
    add(t, "system.circuit_breaker.state_changed", "event-bus", payload)


steps = [("booking.created", "booking-service"), ("booking.validated", "booking-service"),
         ("booking.location_reserved", "location-service"), ("booking.staff_assigned", "staff-service"),
         ("booking.confirmed", "booking-service"), ("notification.created", "notification-service")]
t = 0.0
n = 0
while t < 120:
    correlation = ident()
    cause = None
    for k, (type_, source) in enumerate(steps):
        cause = add(t + k * 0.03, type_, source, {"bookingId": "BK-%05d" % n}, correlation, cause)
    if 40 <= t < 70 and n % 3 == 0:
        failed = add(t + 0.2, "system.handler.failed", "notification-service",
                     {"handler": "email", "error": "email-gateway timed out"}, correlation, cause)
        add(t + 0.45, "system.event.dead_lettered", "event-bus", {"reason": "retries exhausted"}, correlation, failed)
    n += 1
    t += 0.15

breaker(40.0, "email-gateway", "closed", "open", "failure threshold reached")
breaker(55.0, "email-gateway", "open", "half_open")
breaker(55.004, "email-gateway", "half_open", "open", "trial call failed")
breaker(70.0, "email-gateway", "open", "half_open")
breaker(70.006, "email-gateway", "half_open", "closed", "trial call succeeded")
state = "closed"
cycle = {"closed": "open", "open": "half_open", "half_open": "closed"}
for i in range(51):
    nxt = cycle[state]
    breaker(50.0 + i * 1.2, "sms-provider", state, nxt)
    state = nxt

events.sort(key=lambda p: p[0])
with open(sys.argv[1], "w") as out:
    for seq, (_, e) in enumerate(events):
        e["seq"] = seq
        out.write(json.dumps(e) + "\n")
