"""Ends the Descent kernel's process from cells (stack overflow, Environment.Exit, Environment.FailFast) with Debian's
jupyter_client; after each, records what the client heard about that cell and whether a restart runs `1+1`. Prints one
JSON object. The session signs with hmac-sha512, so the kernel and its supervisor must use the connection file's scheme.

Usage: /usr/bin/python3 crash_kernel.py <working-dir>   (JUPYTER_PATH must hold the descent-csharp kernelspec)
"""
import json
import sys
import time

from kernel_messages import collect
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 60
CRASHES = {
    "stack_overflow": "int F(int n) => F(n + 1) + 1;\nF(0)",
    "exit": "Environment.Exit(0);",
    "fail_fast": 'Environment.FailFast("gave up");',
}


def run(kc, code):
    return collect(kc, kc.execute(code), TIMEOUT, reply_required=False)


result = {}
km = KernelManager(kernel_name="descent-csharp", session=Session(signature_scheme="hmac-sha512", key=b"crash-test-key"))
started = time.monotonic()
km.start_kernel(cwd=sys.argv[1])
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=TIMEOUT)
result["startup_seconds"] = time.monotonic() - started
try:
    run(kc, "var a = 1;")  # so the first crash is cell [2]; after each restart `1+1` is cell [1] and the next crash [2]
    for name, code in CRASHES.items():
        t = time.monotonic()
        reply, messages = run(kc, code)
        errors = [m["content"] for m in messages if m["type"] == "error"]
        died = time.monotonic()
        while km.is_alive() and time.monotonic() - died < 30:
            time.sleep(0.1)
        observed = {"errors": errors, "idle": messages[-1]["type"] == "status" if messages else False,
                    "reply": {k: reply.get(k) for k in ("status", "ename", "evalue", "execution_count")} if reply else None,
                    "notice_seconds": died - t, "process_ended": not km.is_alive()}
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=TIMEOUT)
        reply, messages = run(kc, "1+1")
        observed["after_restart"] = {"status": reply["status"] if reply else None, "execution_count": reply.get("execution_count") if reply else None,
                                     "results": [m["content"]["data"] for m in messages if m["type"] == "execute_result"]}
        result[name] = observed
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

print(json.dumps(result))
