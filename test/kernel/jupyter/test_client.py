"""The workgraph kernel driven by the real jupyter_client: output routing, interrupts, signatures,
comms, live runs, shutdown and restart. Run from a folder with no node_modules."""

import os
import time
import unittest
import uuid
from queue import Empty

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 30
# The test runs in a scratch folder of its own (the kernels start there too).
LOG = os.path.join(os.getcwd(), "kernel.log")


class Client:
    """A kernel and a client that keeps every iopub message it has seen, by parent msg_id."""

    def __init__(self):
        self.log = open(LOG, "a")
        self.km, self.kc = start_new_kernel(kernel_name="workgraph", stderr=self.log)
        self.seen = []

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()

    def drain(self, timeout=0.05):
        while True:
            try:
                self.seen.append(self.kc.get_iopub_msg(timeout=timeout))
            except Empty:
                return

    def outputs(self, msg_id, *types):
        self.drain()
        return [
            m
            for m in self.seen
            if m["parent_header"].get("msg_id") == msg_id and (not types or m["msg_type"] in types)
        ]

    def reply(self, msg_id, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.kc.get_shell_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        raise AssertionError(f"no reply to {msg_id}")

    def wait_idle(self, msg_id, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self.outputs(msg_id, "status"):
                if m["content"]["execution_state"] == "idle":
                    return
            time.sleep(0.02)
        raise AssertionError(f"no idle for {msg_id}")

    def execute(self, code, timeout=TIMEOUT):
        msg_id = self.kc.execute(code)
        reply = self.reply(msg_id, timeout)
        self.wait_idle(msg_id)
        return msg_id, reply["content"]

    def stdout(self, msg_id):
        return "".join(
            m["content"]["text"]
            for m in self.outputs(msg_id, "stream")
            if m["content"]["name"] == "stdout"
        )

    def run_log(self, msg_id):
        """A run's log as the cell shows it: its log displays' text, as last updated."""
        texts = {}
        for m in self.outputs(msg_id, "display_data", "update_display_data"):
            if m["content"]["metadata"].get("workgraph") == "log":
                texts[m["content"]["transient"]["display_id"]] = m["content"]["data"]
        return texts

    def wait_for_stdout(self, msg_id, text, timeout=TIMEOUT):
        """Waits until the cell has printed `text`: then it runs (an interrupt that comes while
        a cell is still being compiled has nothing to stop, however long a sleep waited)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.stdout(msg_id):
                return
            time.sleep(0.02)
        raise AssertionError(f"cell {msg_id} did not print {text!r}")

    def result(self, msg_id):
        results = self.outputs(msg_id, "execute_result")
        return results[0]["content"]["data"]["text/plain"] if results else None


class SharedKernelTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = Client()
        cls.c.execute("1")  # the first cell starts the compiler

    @classmethod
    def tearDownClass(cls):
        cls.c.stop()

    def test_late_output_lands_in_its_own_cell(self):
        c = self.c
        first = c.kc.execute('setTimeout(() => console.log("late from cell 1"), 300); "started"')
        c.reply(first)
        second, reply = c.execute("await new Promise((r) => setTimeout(r, 800)); 2")
        self.assertEqual(reply["status"], "ok")
        c.drain(0.2)
        self.assertIn("late from cell 1", c.stdout(first))
        self.assertNotIn("late", c.stdout(second))

    def test_uncaught_errors_of_late_callbacks_show_under_their_cell(self):
        c = self.c
        first = c.kc.execute('setTimeout(() => { throw new Error("late boom"); }, 50); 1')
        c.reply(first)
        second, reply = c.execute(
            'Promise.reject(new Error("nobody waits")); await new Promise((r) => setTimeout(r, 300)); 2'
        )
        self.assertEqual(reply["status"], "ok")
        c.drain(0.2)
        stderr = lambda msg_id: "".join(
            m["content"]["text"] for m in c.outputs(msg_id, "stream") if m["content"]["name"] == "stderr"
        )
        self.assertIn("Uncaught: Error: late boom", stderr(first))
        self.assertIn("Unhandled rejection: Error: nobody waits", stderr(second))

    def test_heartbeat(self):
        self.assertTrue(self.c.kc.hb_channel.is_beating())

    def test_interrupt_request_stops_an_awaiting_cell(self):
        c = self.c
        msg_id = c.kc.execute('console.log("awaiting"); await new Promise(() => {})')
        c.wait_for_stdout(msg_id, "awaiting")
        interrupt = c.kc.session.msg("interrupt_request", {})
        c.kc.control_channel.send(interrupt)
        reply = c.reply(msg_id, 10)["content"]
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "InterruptedError")
        _, after = c.execute("21 * 2")
        self.assertEqual(after["status"], "ok")

    def test_sigint_stops_an_awaiting_cell(self):
        c = self.c
        msg_id = c.kc.execute('console.log("awaiting"); await new Promise((r) => setTimeout(r, 60_000))')
        c.wait_for_stdout(msg_id, "awaiting")
        c.km.interrupt_kernel()
        self.assertEqual(c.reply(msg_id, 10)["content"]["ename"], "InterruptedError")

    def test_sigint_stops_a_synchronous_busy_loop(self):
        c = self.c
        # Only the cell's synchronous part runs under SIGINT's watch, so the loop must start
        # there, with no await before it: the marker file is written synchronously too, so its
        # existence says the loop runs, whatever the load (its output could not leave).
        marker = os.path.join(os.getcwd(), f"spinning-{uuid.uuid4().hex}")
        msg_id = c.kc.execute(
            'import { writeFileSync } from "node:fs";\n'
            f"writeFileSync({marker!r}, '');\n"
            "let spins = 0;\nwhile (true) { spins++; }"
        )
        deadline = time.monotonic() + TIMEOUT
        while not os.path.exists(marker):
            self.assertLess(time.monotonic(), deadline, "the cell did not start its loop")
            time.sleep(0.02)
        c.km.interrupt_kernel()
        reply = c.reply(msg_id, 10)["content"]
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "InterruptedError")
        errors = c.outputs(msg_id, "error")
        self.assertEqual(len(errors), 1)
        check, after = c.execute('"alive"')
        self.assertEqual(c.result(check), "'alive'")

    def test_wrongly_signed_messages_are_not_executed(self):
        c = self.c
        marker = os.path.join(os.getcwd(), "marker")
        code = f'import {{ writeFileSync }} from "node:fs";\nwriteFileSync({marker!r}, "ran")'
        content = {"code": code, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        for key in (b"not-the-key", b""):
            forger = Session(key=key, username="forger", session=str(uuid.uuid4()))
            forger.send(c.kc.shell_channel.socket, forger.msg("execute_request", content))
        _, reply = c.execute('"after the forged messages"')
        self.assertEqual(reply["status"], "ok")
        time.sleep(0.3)
        self.assertFalse(os.path.exists(marker), "a wrongly signed message was executed")
        with open(LOG) as log:
            text = log.read()
        self.assertIn("bad signature", text)
        self.assertIn("missing signature", text)
        # The same code, properly signed, does run.
        _, reply = c.execute(code)
        self.assertEqual(reply["status"], "ok")
        self.assertTrue(os.path.exists(marker))

    def test_comm_echo(self):
        c = self.c
        comm_id = str(uuid.uuid4())
        c.kc.shell_channel.send(c.kc.session.msg(
            "comm_open", {"comm_id": comm_id, "target_name": "workgraph.echo", "data": {}}))
        info = c.kc.session.msg("comm_info_request", {"target_name": "workgraph.echo"})
        c.kc.shell_channel.send(info)
        self.assertIn(comm_id, c.reply(info["header"]["msg_id"])["content"]["comms"])
        msg = c.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"ping": [1, 2, 3]}})
        c.kc.shell_channel.send(msg)
        c.wait_idle(msg["header"]["msg_id"])
        echoes = c.outputs(msg["header"]["msg_id"], "comm_msg")
        self.assertEqual(len(echoes), 1)
        self.assertEqual(echoes[0]["content"], {"comm_id": comm_id, "data": {"ping": [1, 2, 3]}})
        close = c.kc.session.msg("comm_close", {"comm_id": comm_id, "data": {}})
        c.kc.shell_channel.send(close)
        c.wait_idle(close["header"]["msg_id"])

    def test_a_run_shows_report_lines_and_a_live_display(self):
        c = self.c
        msg_id, reply = c.execute(
            'import { run, task } from "workgraph";\n'
            "const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\n"
            "const add = task(async function add(x: number, y: number) { await sleep(150); return x + y; });\n"
            "const multiply = task(async function multiply(x: number, y: number) { await sleep(150); return x * y; });\n"
            "async function add_multiply(x: number, y: number) {\n"
            "  let a = add(x, y);\n"
            "  for (let i = 0; i < 3; i++) a = add(a.result, 0);\n"
            "  const b = multiply(1, a.result);\n"
            "  return { sum: a.result, product: b.result };\n"
            "}\n"
            "const results = await run(add_multiply, { x: 3, y: 4 });\n"
            "results.product.value"
        )
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(c.result(msg_id), "7")
        logs = c.run_log(msg_id).values()
        log = "".join(data["text/plain"] for data in logs)
        self.assertIn("[REPORT]", log)
        self.assertIn("Task: multiply, type: in-process, finished.", log)
        # The HTML keeps each line's `[pk|label|step]:` whole, whatever the output's width.
        html = "".join(data["text/html"] for data in logs)
        self.assertIn('style="white-space:nowrap">[', html)
        self.assertEqual(html.count("workgraph-log-line"), log.count("\n"))
        shown = [
            m
            for m in c.outputs(msg_id, "display_data")
            if m["content"]["metadata"].get("workgraph") != "log"
        ]
        self.assertEqual(len(shown), 1)
        display_id = shown[0]["content"]["transient"]["display_id"]
        updates = [
            m
            for m in c.outputs(msg_id, "update_display_data")
            if m["content"]["metadata"].get("workgraph") != "log"
        ]
        # How many updates come in between depends on timing (the throttle merges states, and
        # a slow first render may come after the run has ended): what is guaranteed is that
        # every update goes to the run's display and that the last bundle shown is final.
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        final = (updates[-1] if updates else shown[0])["content"]["data"]
        self.assertEqual(final["text/plain"], "add_multiply: 5 tasks, 5 FINISHED")
        self.assertIn("https://vega.github.io/schema/vega-lite/v5", final["application/vnd.vegalite.v5+json"]["$schema"])
        self.assertIn("<svg", final["image/svg+xml"])
        self.assertNotIn("text/html", final)
        for bundle in [shown[0]] + updates:
            self.assertNotIn("text/html", bundle["content"]["data"])
        # How far apart updates leave is timing too (a slow render delays one, the next follows
        # sooner): the throttle's spacing is checked in virtual time by test/widgets/throttle.
        # The final state comes before the result and the reply.
        kinds = [m["msg_type"] for m in c.outputs(msg_id) if m["msg_type"] != "status"]
        last_display = max(i for i, k in enumerate(kinds) if k in ("display_data", "update_display_data"))
        self.assertLess(last_display, kinds.index("execute_result"))

    def test_an_interrupt_cancels_the_runs_of_the_cell(self):
        c = self.c
        # Each job writes a file before it spins: once both are there, both workers run their
        # jobs, however long starting them took on a loaded machine.
        started = os.path.join(os.getcwd(), f"started-{uuid.uuid4().hex}")
        os.mkdir(started)
        # A cell that fails keeps no declarations (tslab), so the handles are declared first.
        _, reply = c.execute(
            'import { run, task, type Run } from "workgraph";\n'
            "const spin = task.job(function spin(folder: string): number {\n"
            "  require('node:fs').writeFileSync(folder + '/' + process.pid, '');\n"
            "  while (true) {}\n"
            "});\n"
            "const pids: number[] = [];\n"
            "let spinning: Run | undefined;"
        )
        self.assertEqual(reply["status"], "ok", reply)
        msg_id = c.kc.execute(
            f"spinning = run(async function spinTwice() {{ return {{ a: spin({started!r}), b: spin({started!r}) }}; }}, {{}});\n"
            "spinning.events$.subscribe((e) => { if (e.type === 'task.state' && e.pid) pids.push(e.pid); });\n"
            "await spinning;"
        )
        deadline = time.monotonic() + TIMEOUT
        while len(os.listdir(started)) < 2:
            self.assertLess(time.monotonic(), deadline, "the jobs did not start")
            time.sleep(0.05)
        c.kc.control_channel.send(c.kc.session.msg("interrupt_request", {}))
        self.assertEqual(c.reply(msg_id, 10)["content"]["ename"], "InterruptedError")
        check, reply = c.execute(
            "await new Promise((r) => setTimeout(r, 300));\n"
            "const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };\n"
            "JSON.stringify([spinning?.state, spinning?.tasks.map((t) => t.state), pids.length, pids.filter(alive).length])"
        )
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(c.result(check), """'["KILLED",["KILLED","KILLED"],2,0]'""")


class LifecycleTests(unittest.TestCase):
    def test_shutdown_within_a_second_with_a_live_interval(self):
        c = Client()
        try:
            c.execute("setInterval(() => {}, 1000); 1")
            process = c.km.provisioner.process
            started = time.monotonic()
            c.kc.shutdown()
            while process.poll() is None and time.monotonic() - started < 5:
                time.sleep(0.01)
            elapsed = time.monotonic() - started
            self.assertIsNotNone(process.poll(), "the kernel did not exit")
            self.assertLess(elapsed, 1.0)
        finally:
            c.stop()

    def test_restart_gives_a_fresh_kernel(self):
        c = Client()
        try:
            c.execute("(globalThis as { before?: number }).before = 1")
            c.km.restart_kernel()
            c.kc.wait_for_ready(timeout=TIMEOUT)
            msg_id, reply = c.execute("typeof (globalThis as { before?: number }).before")
            self.assertEqual(c.result(msg_id), "'undefined'")
        finally:
            c.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
