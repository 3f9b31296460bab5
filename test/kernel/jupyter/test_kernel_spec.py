"""jupyter_kernel_test's standard tests, run against the workgraph kernel (kernel name "workgraph")."""

import unittest

import jupyter_kernel_test


class WorkgraphKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "workgraph"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'
    code_generate_error = 'throw new Error("boom")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].map((n) => n * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {
            "code": 'import { display } from "workgraph";\ndisplay({ "text/html": "<b>hi</b>" })',
            "mime": "text/html",
        },
        {
            "code": 'import { display as show } from "workgraph";\nshow({ "image/svg+xml": "<svg/>", "text/plain": "svg" })',
            "mime": "image/svg+xml",
        },
    ]
    code_clear_output = 'import { clearOutput } from "workgraph";\nclearOutput()'
    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const longVariableName = 1;\nlongVariab", "matches": {"longVariableName"}},
    ]
    complete_code_samples = ["1 + 1", "const x = 1;", "function f() { return 1; }", "await Promise.resolve(1)"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["}", "1 +* 2", "const = 5;"]
    code_inspect_sample = "Math.max"
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")


if __name__ == "__main__":
    unittest.main(verbosity=2)
