"""What the kernel's clients share: the messages of one request (its IOPub output up to idle, and its reply)."""
import queue
import time


def collect(kc, msg_id, timeout, reply_required=True):
    """The reply content and the iopub messages of request msg_id, up to its status idle.

    Replies to other requests are skipped (wait_for_ready may have sent several kernel_info requests). When no reply
    comes: queue.Empty if reply_required, else None (a kernel that died in the cell may never answer).
    """
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append({"type": msg["msg_type"], "content": msg["content"]})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        try:
            msg = kc.get_shell_msg(timeout=timeout if reply_required else 5)
        except queue.Empty:
            if reply_required:
                raise
            return None, messages
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"], messages
