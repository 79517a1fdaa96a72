"""Drives the Descent kernel with Debian's jupyter_client and prints one JSON object of observations.

Usage: /usr/bin/python3 drive_kernel.py <working-dir>   (JUPYTER_PATH must hold the descent-csharp kernelspec)
"""
import json
import sys
import time

from kernel_messages import collect
from jupyter_client.manager import start_new_kernel

TIMEOUT = 120
result = {}


def run(kc, code, **kwargs):
    """Executes code; returns (reply content, iopub messages of this request)."""
    return collect(kc, kc.execute(code, **kwargs), TIMEOUT)


started = time.monotonic()
km, kc = start_new_kernel(kernel_name="descent-csharp", cwd=sys.argv[1], startup_timeout=TIMEOUT)
result["startup_seconds"] = time.monotonic() - started
try:
    info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    result["kernel_info"] = {k: info[k] for k in ("protocol_version", "implementation", "language_info", "help_links")}

    reply, _ = run(kc, "var x = 40;")
    reply, messages = run(kc, "x + 2")
    result["state"] = {"status": reply["status"], "execution_count": reply["execution_count"],
                       "results": [m["content"]["data"] for m in messages if m["type"] == "execute_result"],
                       "inputs": [m["content"]["code"] for m in messages if m["type"] == "execute_input"]}

    reply, messages = run(kc, 'Console.WriteLine("hello stream");')
    result["stream"] = [m["content"] for m in messages if m["type"] == "stream"]

    reply, messages = run(kc, 'display("shown"); 7.Display();')
    result["display"] = [m["content"]["data"] for m in messages if m["type"] == "display_data"]

    reply, messages = run(kc, 'var a = 1;\nthrow new InvalidOperationException("boom");')
    result["error"] = {"reply": {k: reply.get(k) for k in ("status", "ename", "evalue", "traceback")},
                       "iopub": [m["content"] for m in messages if m["type"] == "error"]}

    reply, _ = run(kc, "a + 1")
    result["alive_after_error"] = reply["status"]

    timings = []
    for _ in range(7):
        t = time.monotonic()
        run(kc, "1")
        timings.append(time.monotonic() - t)
    result["roundtrip_seconds"] = sorted(timings)[len(timings) // 2]

    code = "Math.Sq"
    complete = kc.complete(code, len(code), reply=True, timeout=TIMEOUT)["content"]
    result["complete"] = {k: complete[k] for k in ("status", "matches", "cursor_start", "cursor_end")}

    inspect = kc.inspect("Math.Sqrt(2)", 7, reply=True, timeout=TIMEOUT)["content"]
    result["inspect"] = {"found": inspect["found"], "text": inspect["data"].get("text/plain", "")}

    statuses = []
    for c in ("var y = 1;", "if (true) {"):
        request = kc.is_complete(c)
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        assert reply["parent_header"]["msg_id"] == request
        statuses.append(reply["content"]["status"])
    result["is_complete"] = statuses

    # Console.ReadLine() asks the client (input_request on stdin) when it allows stdin, fails clearly when not.
    msg_id = kc.execute('Console.Write("name? ");\nvar name = Console.ReadLine();\n"hello " + name', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=TIMEOUT)
    kc.input("Ada")
    content, messages = collect(kc, msg_id, TIMEOUT)
    result["input"] = {"request_type": request["msg_type"], "request_parent": request["parent_header"].get("msg_id") == msg_id,
                       "prompt": request["content"].get("prompt"), "status": content["status"],
                       "stream": [m["content"]["text"] for m in messages if m["type"] == "stream"],
                       "results": [m["content"]["data"] for m in messages if m["type"] == "execute_result"]}
    reply, messages = run(kc, "Console.ReadLine()", allow_stdin=False)
    result["input_not_allowed"] = {"status": reply["status"], "ename": reply.get("ename"), "evalue": reply.get("evalue")}
    msg_id = kc.execute("var never = Console.ReadLine();", allow_stdin=True)
    kc.get_stdin_msg(timeout=TIMEOUT)
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    result["input_interrupted"] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename")}

    msg_id = kc.execute("while (true) { }")
    time.sleep(1.5)
    t = time.monotonic()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    result["interrupt"] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename"),
                           "seconds": time.monotonic() - t}
    reply, _ = run(kc, "x")
    result["alive_after_interrupt"] = reply["status"]

    # A message with a wrong signature is rejected; the kernel keeps answering.
    session = kc.session
    good_key = session.key
    session.key = b"not-the-key"
    kc.execute("x = 1000;")
    session.key = good_key
    time.sleep(0.5)
    reply, messages = run(kc, "x")
    result["after_bad_signature"] = [m["content"]["data"] for m in messages if m["type"] == "execute_result"]

    # A malformed message (garbage frames) does not kill the kernel.
    kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"", b"{not json", b"{}", b"{}", b"{}"])
    reply, _ = run(kc, "1")
    result["alive_after_malformed"] = reply["status"]

    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    reply, messages = run(kc, "x")
    result["after_restart"] = {"status": reply["status"], "ename": reply.get("ename"), "execution_count": reply.get("execution_count")}
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

print(json.dumps(result))
