#!/usr/bin/env python3
"""Run every example of examples.json through the Python SDK's image_uris.retrieve.

The Go tests pin the examples; this script is how an example's expected URI is
checked against the reference implementation (docs/image-uris.md, "Updating").

    python3 imageuris/testdata/sdkcheck.py --sdk PATH [--fill]

PATH is a checkout of github.com/aws/sagemaker-python-sdk (the script reads
sagemaker-core/src/sagemaker/core/image_uris.py and image_uri_config/ there).
An example with "error" instead of "uri" must be rejected by the SDK too.
Only botocore is needed: the SDK's other imports are replaced by stubs, as the
facts file's examples were produced. --fill writes the SDK's URI into examples
whose "uri" is empty; without it, any difference is reported and the exit
status is 1.
"""
import argparse
import json
import os
import re
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))

STUBS = '''
try:
    from packaging.version import Version
except ImportError:  # enough for the comparisons retrieve() makes on these versions
    class Version:
        def __init__(self, s):
            self.t = tuple(int(x) for x in re.split(r"[.-]", s))
        def __ge__(self, o):
            return self.t >= o.t
import botocore.loaders, botocore.regions
class utils:
    @staticmethod
    def _botocore_resolver():
        return botocore.regions.EndpointResolver(botocore.loaders.create_loader().load_data("endpoints"))
    @staticmethod
    def get_instance_type_family(instance_type):
        family = ""
        if isinstance(instance_type, str):
            match = re.match(r"^ml[\\._]([a-z\\d\\-]+)\\.?\\w*$", instance_type)
            if match is not None:
                family = match[1]
        return family
DEFAULT_JUMPSTART_SAGEMAKER_SESSION = None
JUMPSTART_LOGGER = None
class JumpStartModelType:
    OPEN_WEIGHTS = "open_weights"
def is_jumpstart_model_input(model_id, model_version):
    return False
class defaults:
    SPARK_NAME = "spark"
artifacts = None
def is_pipeline_variable(value):
    return False
def override_pipeline_parameter_var(f):
    return f
'''


def load_sdk(sdk):
    core = os.path.join(sdk, "sagemaker-core", "src", "sagemaker", "core")
    src = open(os.path.join(core, "image_uris.py")).read()
    start = src.index("from packaging.version import Version")
    end = src.index("logger = logging.getLogger(__name__)")
    fw = open(os.path.join(core, "fw_utils.py")).read()
    graviton = re.search(r"GRAVITON_ALLOWED_TARGET_INSTANCE_FAMILY = \[[^\]]*\]", fw).group(0)
    frameworks = re.search(r"GRAVITON_ALLOWED_FRAMEWORKS = .*", fw).group(0)
    mod = types.ModuleType("image_uris")
    mod.__file__ = os.path.join(core, "image_uris.py")  # config_for_framework reads image_uri_config/ beside it
    code = src[:start] + STUBS + graviton + "\n" + frameworks + "\n" + src[end:]
    exec(compile(code, mod.__file__, "exec"), mod.__dict__)
    return mod


def call(mod, r):
    kw = {
        "version": r.get("version") or None,
        "py_version": r.get("python_version") or None,
        "instance_type": r.get("instance_type") or None,
        "image_scope": r.get("scope") or "training",  # the Go package's default scope
        "base_framework_version": r.get("base_framework_version") or None,
    }
    if r.get("smdistributed"):
        kw["distribution"] = {"smdistributed": {"dataparallel": {"enabled": True}}}
    return mod.retrieve(r["framework"], r["region"], **kw)


def dump(examples):
    """One example per block, one key per line: easy to read and to diff."""
    blocks = []
    for e in examples:
        lines = ["    %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in e.items()]
        blocks.append("  {\n" + ",\n".join(lines) + "\n  }")
    return "[\n" + ",\n".join(blocks) + "\n]\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sdk", required=True)
    ap.add_argument("--fill", action="store_true")
    args = ap.parse_args()
    mod = load_sdk(args.sdk)
    path = os.path.join(HERE, "examples.json")
    examples = json.load(open(path))
    bad = 0
    for e in examples:
        try:
            got = call(mod, e["request"])
        except Exception as err:  # noqa: BLE001 - report and go on
            got = "error: %s" % err
        if "error" in e:
            # The Go package names the field; the SDK only has to reject it too.
            if not got.startswith("error: "):
                bad += 1
                print("accepted: %s\n  sdk:  %s\n  want: an error (%s)" % (json.dumps(e["request"]), got, e["error"]))
            continue
        if not e["uri"] and args.fill:
            e["uri"] = got
        elif got != e["uri"]:
            bad += 1
            print("differs: %s\n  sdk:  %s\n  want: %s" % (json.dumps(e["request"]), got, e["uri"]))
    if args.fill:
        with open(path, "w") as f:
            f.write(dump(examples))
    print("%d examples, %d differ" % (len(examples), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
