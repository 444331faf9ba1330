#!/usr/bin/env python3
"""The Kubernetes manifests of deploy/kubernetes/ checked without Kubernetes.

    python3 .ci/check_kubernetes.py PVA     (PVA: the pva binary; .ci/kubernetes-check.sh calls it)

There is no Kubernetes cluster in CI, so this is what can be checked here:
1. the YAML parses (PyYAML) and has the shape the workflow relies on: an Indexed Job whose
   completions equal its SHARDS, a merge Job, both with the same image, working directory,
   RESULTS and the volume of pvc.yaml, restartPolicy Never;
2. the containers' own commands (/bin/sh -c ARGS, as the pods run them) run here with this
   machine's pva: the shard command once for every index, JOB_COMPLETION_INDEX set as the Job
   controller sets it, then the merge command; the merged folder must be byte-identical to
   the unsharded run of PVA_COMMAND. The repository root stands in for the image's /opt/pva
   (it holds scenarios/), a temp dir for the volume, and PVA_COMMAND's --replicates and
   --years are made small (16 and 10) so that this takes a second.
It does not check that a cluster accepts the manifests or runs them (see README.md).
"""
import filecmp
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy", "kubernetes")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def load(name):
    with open(os.path.join(DEPLOY, name), encoding="utf-8") as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    if len(documents) != 1:
        sys.exit(f"{name}: expected one YAML document, found {len(documents)}")
    return documents[0]


def container(job, name):
    spec = job["spec"]["template"]["spec"]
    check(spec.get("restartPolicy") == "Never", f"{name}: restartPolicy must be Never")
    containers = spec["containers"]
    check(len(containers) == 1, f"{name}: one container expected")
    return spec, containers[0]


def env_of(c):
    return {e["name"]: e["value"] for e in c.get("env", []) if "value" in e}


def same_tree(a, b):
    """True when the folders hold the same files with the same bytes (diff -r)."""
    comparison = filecmp.dircmp(a, b)
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    for name in comparison.common_files:
        if not filecmp.cmp(os.path.join(a, name), os.path.join(b, name), shallow=False):
            return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in comparison.common_dirs)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_kubernetes.py PVA")
    pva = os.path.abspath(sys.argv[1])

    pvc = load("pvc.yaml")
    shards = load("pva-shards.yaml")
    merge = load("pva-merge.yaml")

    check(pvc.get("kind") == "PersistentVolumeClaim", "pvc.yaml: not a PersistentVolumeClaim")
    check("ReadWriteMany" in pvc["spec"].get("accessModes", []), "pvc.yaml: the volume must be ReadWriteMany")
    claim = pvc["metadata"]["name"]
    for name, job in (("pva-shards.yaml", shards), ("pva-merge.yaml", merge)):
        check(job.get("apiVersion") == "batch/v1" and job.get("kind") == "Job", f"{name}: not a batch/v1 Job")

    spec = shards["spec"]
    check(spec.get("completionMode") == "Indexed", "pva-shards.yaml: completionMode must be Indexed")
    n = spec.get("completions")
    check(isinstance(n, int) and n >= 1, "pva-shards.yaml: completions must be a whole number ≥ 1")
    check(isinstance(spec.get("parallelism"), int) and 1 <= spec["parallelism"] <= n,
          "pva-shards.yaml: parallelism must be from 1 to completions")
    shard_pod, shard_container = container(shards, "pva-shards.yaml")
    merge_pod, merge_container = container(merge, "pva-merge.yaml")
    shard_env, merge_env = env_of(shard_container), env_of(merge_container)
    check(shard_env.get("SHARDS") == str(n), f"pva-shards.yaml: SHARDS ({shard_env.get('SHARDS')}) must equal completions ({n})")
    check("PVA_COMMAND" in shard_env, "pva-shards.yaml: PVA_COMMAND missing")
    check("JOB_COMPLETION_INDEX" in " ".join(shard_container.get("args", [])),
          "pva-shards.yaml: the shard's index must come from JOB_COMPLETION_INDEX")
    check(shard_env.get("RESULTS") == merge_env.get("RESULTS"), "the two Jobs must have the same RESULTS")
    for key in ("image", "workingDir"):
        check(shard_container.get(key) == merge_container.get(key), f"the two Jobs must have the same {key}")
    for name, pod, c in (("pva-shards.yaml", shard_pod, shard_container), ("pva-merge.yaml", merge_pod, merge_container)):
        claims = {v["name"]: v.get("persistentVolumeClaim", {}).get("claimName") for v in pod.get("volumes", [])}
        mounts = {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])}
        check(any(claims.get(v) == claim and mounts.get(v) == "/results" for v in claims),
              f"{name}: the volume {claim} must be mounted at /results")
        check(c.get("command") == ["/bin/sh", "-c"] and len(c.get("args", [])) == 1,
              f"{name}: the container must run /bin/sh -c with one script")
    if failures:
        sys.exit("deploy/kubernetes: " + "; ".join(failures))
    print(f"kubernetes check: manifests parse; Indexed Job of {n} shards, merge Job, volume {claim}")

    # The containers' commands, run here.
    command = shard_env["PVA_COMMAND"]
    command = re.sub(r"--replicates \S+", "--replicates 16", command)
    command = re.sub(r"--years \S+", "", command) + " --years 10"
    command = re.sub(r"--threads \S+", "--threads 1", command)
    with tempfile.TemporaryDirectory(prefix="pva-kubernetes-check.") as volume:
        results = shard_env["RESULTS"]
        if not results.startswith("/results/"):
            sys.exit("pva-shards.yaml: RESULTS must be under /results/")
        local_results = os.path.join(volume, results[len("/results/"):])
        os.makedirs(os.path.dirname(local_results), exist_ok=True)
        bin_dir = os.path.join(volume, "bin")
        os.mkdir(bin_dir)
        os.symlink(pva, os.path.join(bin_dir, "pva"))
        base = {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
                "SHARDS": str(n), "PVA_COMMAND": command, "RESULTS": local_results}

        def run(c, extra):
            script = c["args"][0].replace("/results/", volume + "/")
            result = subprocess.run(["/bin/sh", "-c", script], cwd=ROOT, env=dict(base, **extra),
                                    capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"kubernetes check: '{script}' with {extra} failed ({result.returncode}):\n{result.stderr}")

        for index in range(n):
            run(shard_container, {"JOB_COMPLETION_INDEX": str(index)})
        run(merge_container, {})
        single = os.path.join(volume, "single")
        subprocess.run([pva] + command.split() + ["--out", single], cwd=ROOT, check=True, capture_output=True)
        if not same_tree(single, local_results):
            sys.exit("kubernetes check: the merged folder differs from the unsharded run")
        files = sum(len(f) for _, _, f in os.walk(local_results))
        print(f"kubernetes check: the shard command for indices 0…{n - 1} and the merge command, run here "
              f"(pva {command}), give the unsharded run's folder ({files} files, identical)")


if __name__ == "__main__":
    main()
