"""Executes a notebook through the Descent kernel with Debian's nbclient; prints JSON {errors, cells, seconds}.

Usage: /usr/bin/python3 run_notebook.py <notebook.ipynb>   (JUPYTER_PATH must hold the descent-csharp kernelspec)
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
client = NotebookClient(nb, kernel_name="descent-csharp", timeout=300, startup_timeout=120,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
started = time.monotonic()
failure = None
try:
    client.execute()
except CellExecutionError as e:
    failure = str(e).splitlines()[-1] if str(e) else repr(e)
errors = []
for number, cell in enumerate(nb.cells, start=1):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            errors.append({"cell": number, "ename": output.get("ename"), "evalue": output.get("evalue")})
print(json.dumps({"errors": errors, "failure": failure, "cells": len(nb.cells), "seconds": time.monotonic() - started,
                  "outputs": sum(len(c.get("outputs", [])) for c in nb.cells)}))
