#!/usr/bin/env python3
"""Validates graphc plan documents ("graphc-plan/1", docs/plan-schema.md).

    python3 tests/plan/validate.py [--schema FILE] [--nodes N --edges M] DOC.json ...

DOC "-" reads standard input. Two stages, both always run:

1. The JSON Schema (docs/plan-schema.json), with a validator for exactly the
   keywords that schema uses: type, required, properties,
   additionalProperties, items, enum, minimum, minItems, maxItems and local
   $ref into $defs (annotations such as description are ignored; any other
   keyword in the schema is an error, so the schema cannot silently rely on
   something this validator does not check).
2. Cross-checks the schema cannot express (check_plan below): slots and live
   ranges, dependencies and levels, groups, memory sums and formulas.

--nodes/--edges: the document must have been made for that graph size.

Exit status 0 when every document is valid; otherwise every problem is
printed as "FILE: JSON-PATH: message" and the status is 1 (2: bad usage or
unreadable input). Python 3.11 standard library only.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "..", "docs", "plan-schema.json")

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "$defs"}
KEYWORDS = {"type", "required", "properties", "additionalProperties", "items", "enum", "minimum",
            "minItems", "maxItems", "$ref", "oneOf"}


# ---- the schema stage -----------------------------------------------------------------------

def type_ok(x, t):
    if t == "object":
        return isinstance(x, dict)
    if t == "array":
        return isinstance(x, list)
    if t == "string":
        return isinstance(x, str)
    if t == "boolean":
        return isinstance(x, bool)
    if t == "null":
        return x is None
    if t == "number":
        return isinstance(x, (int, float)) and not isinstance(x, bool)
    if t == "integer":
        # JSON Schema: a number with a zero fractional part (1.0 is an integer)
        if isinstance(x, bool):
            return False
        return isinstance(x, int) or (isinstance(x, float) and x.is_integer())
    raise SchemaError("unknown type '%s'" % t)


class SchemaError(Exception):
    pass


def jtype(x):
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, (int, float)):
        return "number"
    if isinstance(x, str):
        return "string"
    if isinstance(x, list):
        return "array"
    return "object"


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SchemaError("only local references are supported: %s" % ref)
    node = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise SchemaError("unresolvable reference %s" % ref)
        node = node[part]
    return node


def validate(x, schema, root, path, errors):
    """Appends (path, message) for every way x fails schema."""
    if schema is True or schema == {}:
        return
    if schema is False:
        errors.append((path, "no value is allowed here"))
        return
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise SchemaError("unsupported keyword(s) %s at %s" % (", ".join(sorted(unknown)), path))
    if "$ref" in schema:
        validate(x, resolve(root, schema["$ref"]), root, path, errors)
    if "oneOf" in schema:
        ok = 0
        for sub in schema["oneOf"]:
            errs = []
            validate(x, sub, root, path, errs)
            ok += not errs
        if ok != 1:
            errors.append((path, "%s matches %d of the oneOf alternatives, not exactly one" % (short(x), ok)))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(x, t) for t in types):
            errors.append((path, "expected %s, got %s %s" % (" or ".join(types), jtype(x), short(x))))
            return  # the other keywords would only repeat the problem
    if "enum" in schema and not any(same(x, e) for e in schema["enum"]):
        errors.append((path, "%s is not one of %s" % (short(x), json.dumps(schema["enum"]))))
    if "minimum" in schema and isinstance(x, (int, float)) and not isinstance(x, bool):
        if x < schema["minimum"]:
            errors.append((path, "%s is less than the minimum %s" % (short(x), schema["minimum"])))
    if isinstance(x, dict):
        for key in schema.get("required", []):
            if key not in x:
                errors.append((path, "missing required field '%s'" % key))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, val in x.items():
            sub = path + "." + key if key.isidentifier() else "%s[%s]" % (path, json.dumps(key))
            if key in props:
                validate(val, props[key], root, sub, errors)
            elif extra is False:
                errors.append((path, "unknown field '%s'" % key))
            elif isinstance(extra, dict):
                validate(val, extra, root, sub, errors)
    if isinstance(x, list):
        if "minItems" in schema and len(x) < schema["minItems"]:
            errors.append((path, "%d items, fewer than %d" % (len(x), schema["minItems"])))
        if "maxItems" in schema and len(x) > schema["maxItems"]:
            errors.append((path, "%d items, more than %d" % (len(x), schema["maxItems"])))
        if "items" in schema:
            for i, val in enumerate(x):
                validate(val, schema["items"], root, "%s[%d]" % (path, i), errors)


def same(a, b):
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def short(x):
    s = json.dumps(x)
    return s if len(s) <= 40 else s[:37] + "..."


# ---- the cross-checks -----------------------------------------------------------------------

def formula(c, n, m):
    """plan_size_str (src/plan/plan.c): "8*N + 4*M + 16", "N", "0"."""
    parts = []
    for k, sym in ((n, "N"), (m, "M"), (c, "")):
        if not k:
            continue
        if sym:
            parts.append(sym if k == 1 else "%d*%s" % (k, sym))
        else:
            parts.append("%d" % k)
    return " + ".join(parts) if parts else "0"


def walk_sizes(x, path):
    """Every size object ({formula, c, n, m[, value]}) in the document."""
    if isinstance(x, dict):
        if "formula" in x and "c" in x and "n" in x and "m" in x:
            yield path, x
            return
        for k, v in x.items():
            yield from walk_sizes(v, path + "." + k)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from walk_sizes(v, "%s[%d]" % (path, i))


def close(a, b):
    """cJSON prints a number that is not a small integer with 15 significant
    digits, so values read back are exact only to about 1e-15, relatively."""
    return a == b or abs(a - b) <= 1e-13 * max(abs(a), abs(b))


def as_int(x):
    return int(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def check_plan(d, errors, expect_nodes=None, expect_edges=None):
    """Cross-checks on a document that passed the schema stage."""
    def err(path, msg):
        errors.append((path, msg))

    batch, par, mem, graph = d["batch"], d["parallel"], d["memory"], d["graph"]

    # -- graph and sizes
    nodes, edges = graph["nodes"], graph["edges"]
    if (nodes is None) != (edges is None):
        err("$.graph", "nodes and edges must both be numbers or both null")
    if expect_nodes is not None and nodes != expect_nodes:
        err("$.graph.nodes", "expected %d nodes, the document says %s" % (expect_nodes, short(nodes)))
    if expect_edges is not None and edges != expect_edges:
        err("$.graph.edges", "expected %d edges, the document says %s" % (expect_edges, short(edges)))
    for path, s in walk_sizes(d, "$"):
        c, n, m = as_int(s["c"]), as_int(s["n"]), as_int(s["m"])
        want = formula(c, n, m)
        if s["formula"] != want:
            err(path + ".formula", "formula %s does not match c=%d n=%d m=%d (%s)"
                % (json.dumps(s["formula"]), c, n, m, json.dumps(want)))
        if nodes is not None and edges is not None:
            if "value" not in s:
                err(path, "missing value (the document has a graph size)")
            else:
                # plan_eval: the same double arithmetic as the compiler
                want_v = float(c) + float(n) * float(nodes) + float(m) * float(edges)
                if not close(float(s["value"]), want_v):
                    err(path + ".value", "value %s != c + n*nodes + m*edges = %r" % (short(s["value"]), want_v))
        elif "value" in s:
            err(path + ".value", "a value without a graph size")

    # -- ops: positions, the tree, kinds
    ops = batch["ops"]
    by_pos = {}
    for i, o in enumerate(ops):
        p = "$.batch.ops[%d]" % i
        if o["pos"] != i:
            err(p + ".pos", "position %s, expected %d (positions are 0, 1, 2, ... in order)" % (o["pos"], i))
        by_pos[i] = o
    ids = {}
    for i, o in enumerate(ops):
        p = "$.batch.ops[%d]" % i
        if o["id"] in ids:
            err(p + ".id", "IR op id %d also at position %d" % (o["id"], ids[o["id"]]))
        ids[o["id"]] = i
        name, dom, attrs = o["op"], o["domain"], o["attributes"]
        is_kernel = name == "kernel"
        is_block = name in ("loop", "if")
        if is_kernel != (dom in ("nodes", "edges")):
            err(p + ".domain", "domain %s for op %s (kernels are nodes or edges, nothing else is)" % (dom, name))
        if (name in ("loop", "if", "break", "return")) != (dom == "control"):
            err(p + ".domain", "domain %s for op %s (control: loop, if, break, return)" % (dom, name))
        if is_kernel:
            for k in ("cost", "bytes_moved", "reductions"):
                if k not in attrs:
                    err(p + ".attributes", "a kernel without '%s'" % k)
            if "fused_members" not in o:
                err(p, "a kernel without 'fused_members'")
            if "cost" in attrs and "bytes_moved" in attrs:
                on_edges = attrs["cost"]["m"] > 0 or attrs["bytes_moved"]["m"] > 0
                if on_edges != (dom == "edges"):
                    err(p + ".domain", "domain %s but cost %s and bytes %s" % (
                        dom, attrs["cost"]["formula"], attrs["bytes_moved"]["formula"]))
        else:
            if "fused_members" in o:
                err(p, "fused_members on a %s op" % name)
            for k in ("cost", "bytes_moved", "reductions"):
                if k in attrs:
                    err(p + ".attributes", "'%s' on a %s op" % (k, name))
        if ("kind" in attrs) != (name == "loop"):
            err(p + ".attributes", "'kind' is for loops, and every loop has one")
        if ("param" in attrs) != (name == "param"):
            err(p + ".attributes", "'param' is for param ops, and every param op has one")
        if ("value" in attrs) != (name == "const"):
            err(p + ".attributes", "'value' is for const ops, and every const op has one")
        if "end" in o:
            if not is_block:
                err(p + ".end", "end on a %s op (only loop and if have one)" % name)
            elif not (i < o["end"] < len(ops)):
                err(p + ".end", "end %s is not after the op and inside the program" % o["end"])
        par_ = o["parent"]
        if par_ is not None:
            q = by_pos.get(par_)
            if q is None or q["op"] not in ("loop", "if") or not (par_ < i <= q.get("end", par_)):
                err(p + ".parent", "parent %s is not a loop or if enclosing position %d" % (par_, i))
    # a block op's end: the last position whose chain of parents reaches it
    for i, o in enumerate(ops):
        if o["op"] in ("loop", "if"):
            last = i
            for j in range(i + 1, len(ops)):
                a = ops[j]["parent"]
                while a is not None and a != i and a in by_pos:
                    a = by_pos[a]["parent"]
                if a == i:
                    last = j
                else:
                    break
            if o.get("end", i) != last:
                err("$.batch.ops[%d].end" % i, "end %s, but its contents end at %d" % (o.get("end", i), last))

    # -- dependencies, runs, levels, groups
    nops = len(ops)
    run_of, level_of = {}, {}
    for i, L in enumerate(par["levels"]):
        p = "$.parallel.levels[%d]" % i
        for q in L["ops"]:
            if q >= nops:
                err(p + ".ops", "position %d is not an op (%d ops)" % (q, nops))
                continue
            if q in run_of:
                err(p + ".ops", "op %d is in two levels" % q)
            run_of[q], level_of[q] = L["run"], L["level"]
    for q in range(nops):
        if q not in run_of:
            err("$.parallel.levels", "op %d is in no level" % q)
    # runs: a loop or an if is a run of its own; the leaves between two of
    # them in one block form one run; numbered 0, 1, ... in program order.
    # (The document does not say where an if's else block starts, so two
    # leaves of one if may be split once, there.)
    members = {}
    for q in sorted(run_of):
        members.setdefault(run_of[q], []).append(q)
    order = sorted(members, key=lambda r: members[r][0])
    if order != list(range(len(order))):
        err("$.parallel.levels", "runs are not numbered 0, 1, ... in program order: %s" % order)
    for r, qs in members.items():
        if qs != list(range(qs[0], qs[0] + len(qs))):
            err("$.parallel.levels", "run %d is not contiguous: ops %s" % (r, qs))
        if len({ops[q]["parent"] for q in qs}) > 1:
            err("$.parallel.levels", "run %d mixes ops of different blocks: %s" % (r, qs))
        if len(qs) > 1 and any(ops[q]["op"] in ("loop", "if") for q in qs):
            err("$.parallel.levels", "run %d: a loop or if shares its run: %s" % (r, qs))
    splits = {}
    for q in range(1, nops):
        a, b = ops[q - 1], ops[q]
        if (q - 1 in run_of and q in run_of and run_of[q - 1] != run_of[q] and a["parent"] == b["parent"]
                and a["op"] not in ("loop", "if") and b["op"] not in ("loop", "if")):
            par_ = b["parent"]
            splits[par_] = splits.get(par_, 0) + 1
            if par_ is None or ops[par_]["op"] != "if" or splits[par_] > 1:
                err("$.parallel.levels", "ops %d and %d are adjacent leaves of one block but in different runs"
                    % (q - 1, q))
    seen_dep = set()
    for i, (a, b) in enumerate(par["dependencies"]):
        p = "$.parallel.dependencies[%d]" % i
        if a >= nops or b >= nops:
            err(p, "[%d, %d]: not positions of ops (%d ops)" % (a, b, nops))
            continue
        if not a < b:
            err(p, "[%d, %d]: the first must come before the second" % (a, b))
        if run_of.get(a) != run_of.get(b):
            err(p, "[%d, %d]: ops of different runs (%s and %s)" % (a, b, run_of.get(a), run_of.get(b)))
        elif level_of.get(a, 0) >= level_of.get(b, 0):
            err(p, "[%d, %d]: level %s does not come before level %s" % (a, b, level_of.get(a), level_of.get(b)))
        if (a, b) in seen_dep:
            err(p, "[%d, %d] listed twice" % (a, b))
        seen_dep.add((a, b))
    # a level is one more than the highest level the op depends on
    deps_of = {}
    for a, b in par["dependencies"]:
        deps_of.setdefault(b, []).append(a)
    for q in range(nops):
        if q in level_of:
            want = 1 + max((level_of.get(a, 0) for a in deps_of.get(q, [])), default=0)
            if level_of[q] != want:
                err("$.parallel.levels", "op %d is at level %d; its dependencies put it at %d" % (q, level_of[q], want))
    kernel_group = {}
    for i, g in enumerate(par["groups"]):
        p = "$.parallel.groups[%d]" % i
        for k in g["kernels"]:
            if k >= nops or ops[k]["op"] != "kernel":
                err(p + ".kernels", "position %d is not a kernel" % k)
                continue
            if k in kernel_group:
                err(p + ".kernels", "kernel %d is in two groups" % k)
            kernel_group[k] = i
            if run_of.get(k) != g["run"] or level_of.get(k) != g["level"]:
                err(p + ".kernels", "kernel %d is in run %s level %s, the group in run %d level %d"
                    % (k, run_of.get(k), level_of.get(k), g["run"], g["level"]))
    for q in range(nops):
        if ops[q]["op"] == "kernel" and q not in kernel_group:
            err("$.parallel.groups", "kernel %d is in no group" % q)
    if par["use_parallel"] != (par["estimated_speedup"] >= par["threshold"]):
        err("$.parallel.use_parallel", "use_parallel %s, but the speedup %s and the threshold %s say otherwise"
            % (par["use_parallel"], par["estimated_speedup"], par["threshold"]))
    if par["critical_path"] > par["total_cost"]:
        err("$.parallel.critical_path", "longer than the total cost")
    want = par["total_cost"] / par["critical_path"] if par["critical_path"] > 0 else 1
    if not close(par["estimated_speedup"], want):
        err("$.parallel.estimated_speedup", "%r, but total_cost / critical_path is %r" % (par["estimated_speedup"], want))

    # -- execution order: runs (optional) and regions (optional)
    # step[q]: op q's place in the execution order of the function: its
    # position, permuted within a reordered run (live ranges count in steps);
    # exec_at[q]: the same, except that the kernels of one parallel region
    # all run at the step of the first of them
    step = {q: q for q in range(nops)}
    if "runs" in par:
        listed = {}
        for i, R in enumerate(par["runs"]):
            p = "$.parallel.runs[%d]" % i
            r = R["run"]
            if r != i:
                err(p + ".run", "run %d listed at index %d" % (r, i))
            want = members.get(r, [])
            if sorted(R["order"]) != want:
                err(p + ".order", "not the ops of run %d (%s)" % (r, want))
                continue
            if not R["reordered"] and R["order"] != want:
                err(p + ".order", "not reordered, but not in program order")
            for k, q in enumerate(R["order"]):
                step[q] = want[0] + k
            listed[r] = R
        if sorted(listed) != sorted(members):
            err("$.parallel.runs", "runs listed %s, runs in levels %s" % (sorted(listed), sorted(members)))
        for a, b in par["dependencies"]:
            if a < nops and b < nops and step[a] >= step[b]:
                err("$.parallel.runs", "op %d depends on op %d but runs before it" % (b, a))
    op_at = {st: q for q, st in step.items()}
    exec_at = dict(step)
    for i, g in enumerate(par["groups"]):
        if "regions" not in g:
            continue
        p = "$.parallel.groups[%d].regions" % i
        flat = [k for reg in g["regions"] for k in reg]
        if sorted(flat) != sorted(g["kernels"]) or len(set(flat)) != len(flat):
            err(p, "the regions %s do not split the kernels %s" % (g["regions"], g["kernels"]))
            continue
        for reg in g["regions"]:
            if any(k >= nops for k in reg):
                continue
            first = min(exec_at[k] for k in reg)
            for k in reg:
                exec_at[k] = first
    # -- variables, live ranges, slots
    nslots = batch["num_slots"]
    slots = batch["slots"]
    vs = batch["variable_slots"]
    if len(slots) != nslots:
        err("$.batch.slots", "%d slots listed, num_slots is %d" % (len(slots), nslots))
    for v, s in vs.items():
        if s >= nslots:
            err("$.batch.variable_slots[%s]" % json.dumps(v), "slot %d but num_slots is %d" % (s, nslots))
    ranges = {}
    for i, r in enumerate(batch["live_ranges"]):
        p = "$.batch.live_ranges[%d]" % i
        v = r["var"]
        if v in ranges:
            err(p + ".var", "%s has two live ranges" % v)
        ranges[v] = r
        if r["start"] > r["end"]:
            err(p, "start %d after end %d" % (r["start"], r["end"]))
        if r["end"] >= len(ops):
            err(p + ".end", "end %d is not a step (%d ops)" % (r["end"], len(ops)))
        if vs.get(v) != r["slot"]:
            err(p + ".slot", "slot %d, but variable_slots says %s" % (r["slot"], short(vs.get(v))))
        if r["slot"] >= nslots:
            err(p + ".slot", "slot %d but num_slots is %d" % (r["slot"], nslots))
        if r["loop_carried"]:
            # widened to a whole loop: some loop lies within [start, end] (a loop
            # is a run of its own, and its contents' steps are its positions)
            if not any(o["op"] == "loop" and r["start"] <= o["pos"] and o.get("end", o["pos"]) <= r["end"]
                       for o in ops):
                err(p, "loop_carried, but the range %d..%d covers no loop" % (r["start"], r["end"]))
    if set(vs) != set(ranges):
        err("$.batch.variable_slots", "variables differ from live_ranges: %s" % sorted(set(vs) ^ set(ranges)))
    starts = [r["start"] for r in batch["live_ranges"]]
    if starts != sorted(starts):
        err("$.batch.live_ranges", "not in order of start")

    in_place = {(x["first"], x["then"]): x for x in mem["in_place"]}
    reuse = {(x["first"], x["then"]): x for x in mem["reuse_pairs"]}
    tenants_seen = set()
    elem_of = {}
    for si, sl in enumerate(slots):
        p = "$.batch.slots[%d]" % si
        if sl["slot"] != si:
            err(p + ".slot", "slot %d listed at index %d" % (sl["slot"], si))
        ts = sl["tenants"]
        for t in ts:
            elem_of[t] = sl["elem_bytes"]
            if t in tenants_seen:
                err(p + ".tenants", "%s is a tenant of two slots" % t)
            tenants_seen.add(t)
            if t not in ranges:
                err(p + ".tenants", "%s has no live range" % t)
            elif ranges[t]["slot"] != si:
                err(p + ".tenants", "%s lives in slot %d by its live range" % (t, ranges[t]["slot"]))
        known = [t for t in ts if t in ranges]
        for a in range(len(known)):
            for b in range(a + 1, len(known)):
                x, y = ranges[known[a]], ranges[known[b]]
                if x["start"] <= y["end"] and y["start"] <= x["end"]:  # the ranges overlap
                    touching = x["end"] == y["start"] and (known[a], known[b]) in in_place and b == a + 1
                    if not touching:
                        err(p + ".tenants", "%s (%d..%d) and %s (%d..%d) overlap%s" % (
                            known[a], x["start"], x["end"], known[b], y["start"], y["end"],
                            "" if x["end"] == y["start"] else " by more than one position"))
        # the tenants in order, each pair a reuse: in place or not
        for a in range(1, len(known)):
            pair = (known[a - 1], known[a])
            if pair not in in_place and pair not in reuse:
                err(p + ".tenants", "%s follows %s but neither in_place nor reuse_pairs says so" % (pair[1], pair[0]))
            if ranges[known[a - 1]]["start"] > ranges[known[a]]["start"]:
                err(p + ".tenants", "%s and %s are not in order of start" % pair)
    for v in ranges:
        if v not in tenants_seen:
            err("$.batch.slots", "%s is no slot's tenant" % v)

    for name, table in (("in_place", mem["in_place"]), ("reuse_pairs", mem["reuse_pairs"])):
        for i, x in enumerate(table):
            p = "$.memory.%s[%d]" % (name, i)
            f, t = x["first"], x["then"]
            if f not in ranges or t not in ranges:
                err(p, "%s or %s has no live range" % (f, t))
                continue
            if ranges[f]["slot"] != x["slot"] or ranges[t]["slot"] != x["slot"]:
                err(p + ".slot", "slot %d, but %s is in %d and %s in %d" % (
                    x["slot"], f, ranges[f]["slot"], t, ranges[t]["slot"]))
            if x["at"] != ranges[t]["start"]:
                err(p + ".at", "at %d, but %s starts at %d" % (x["at"], t, ranges[t]["start"]))
            if name == "in_place":
                if ranges[f]["end"] != x["at"]:
                    err(p, "in place at %d, but %s ends at %d" % (x["at"], f, ranges[f]["end"]))
                if ranges[f]["loop_carried"] or ranges[t]["loop_carried"]:
                    err(p, "in place with a loop-carried variable")
                if x["at"] not in op_at or ops[op_at[x["at"]]]["op"] != "kernel":
                    err(p + ".at", "in place at step %d, which is not a kernel's" % x["at"])
            elif ranges[f]["end"] >= x["at"]:
                err(p, "%s (ends %d) is still live when %s starts at %d" % (f, ranges[f]["end"], t, x["at"]))
            if (f, t) in in_place and (f, t) in reuse:
                err(p, "both in place and a reuse pair")

    # -- every op that names a vector lies within the vector's live range
    refs = {}
    for q, o in enumerate(ops):
        for v in set(o["inputs"]) | set(o["outputs"]):
            if v in ranges:
                refs.setdefault(v, []).append(q)
                if not ranges[v]["start"] <= step[q] <= ranges[v]["end"]:
                    err("$.batch.ops[%d]" % q, "uses %s at step %d, outside its live range %d..%d"
                        % (v, step[q], ranges[v]["start"], ranges[v]["end"]))

    # a slot's later tenant must not be touched before (or while, in one
    # region) its earlier tenant is last touched, except by the one kernel
    # that updates it in place
    for si, sl in enumerate(slots):
        known = [t for t in sl["tenants"] if t in ranges]
        for a in range(len(known)):
            for b in range(a + 1, len(known)):
                x, y = known[a], known[b]
                for ox in refs.get(x, []):
                    for oy in refs.get(y, []):
                        if run_of.get(ox) != run_of.get(oy):
                            continue
                        if ox == oy:
                            if (x, y) not in in_place:
                                err("$.batch.slots[%d]" % si, "op %d uses both %s and %s, which share the slot"
                                    % (ox, x, y))
                        elif exec_at[ox] >= exec_at[oy]:
                            err("$.batch.slots[%d]" % si, "%s overwrites %s in slot %d: op %d (%s) %s op %d (%s)"
                                % (y, x, si, oy, y, "runs in one parallel region with" if exec_at[ox] == exec_at[oy]
                                   else "runs before", ox, x))

    # -- memory sums
    def coeffs(s):
        return (as_int(s["c"]), as_int(s["n"]), as_int(s["m"]))

    def add(a, b):
        return tuple(x + y for x, y in zip(a, b))

    vec, gr, outs = (0, 0, 0), (0, 0, 0), (0, 0, 0)
    elem_size = {"bool": 1, "node": 4, "f32": 4, "uint32": 4}  # int, float, uint64, int64: 8
    names = set()
    for i, a in enumerate(mem["allocations"]):
        p = "$.memory.allocations[%d]" % i
        want = tuple(elem_size.get(a["dtype"], 8) * x for x in coeffs(a["elements"]))
        if coeffs(a["bytes"]) != want:
            err(p + ".bytes", "%s bytes for %s elements of %s" % (a["bytes"]["formula"], a["elements"]["formula"], a["dtype"]))
        if a["kind"] == "vector":
            vec = add(vec, coeffs(a["bytes"]))
            names.add(a["name"])
            if a["dtype"] not in ("bool", "int", "float", "node", "f32"):
                err(p + ".dtype", "a vector of %s" % a["dtype"])
            if coeffs(a["elements"]) != (0, 1, 0):
                err(p + ".elements", "a vector has N elements, not %s" % a["elements"]["formula"])
            if "slot" not in a:
                err(p, "a vector allocation without a slot")
            elif a["slot"] != vs.get(a["name"]):
                err(p + ".slot", "slot %d, variable_slots says %s" % (a["slot"], short(vs.get(a["name"]))))
            elif a["name"] in elem_of and elem_of[a["name"]] != elem_size.get(a["dtype"], 8):
                err(p + ".slot", "a %s vector in a slot of %d-byte elements" % (a["dtype"], elem_of[a["name"]]))
        elif a["kind"] == "output":
            # a vector returned a second time is copied into a column of its own
            outs = add(outs, coeffs(a["bytes"]))
            if "slot" in a:
                err(p + ".slot", "an output copy has no slot")
            if coeffs(a["elements"]) != (0, 1, 0):
                err(p + ".elements", "an output copy has N elements, not %s" % a["elements"]["formula"])
        else:
            gr = add(gr, coeffs(a["bytes"]))
            if "slot" in a:
                err(p + ".slot", "a graph allocation has no slot")
            if a["dtype"] not in ("uint64", "int64", "uint32", "float"):
                err(p + ".dtype", "graph arrays are uint64, int64, uint32 or float, not %s" % a["dtype"])
    if names != set(ranges):
        err("$.memory.allocations", "vector allocations differ from live_ranges: %s" % sorted(names ^ set(ranges)))
    slot_bytes = (0, sum(s["elem_bytes"] for s in slots), 0)
    checks = [("graph_bytes", gr, "the graph allocations"),
              ("vector_bytes_without_reuse", vec, "the vector allocations"),
              ("vector_bytes_with_reuse", slot_bytes, "one N-element buffer per slot"),
              ("peak_bytes_without_reuse", add(add(gr, vec), outs), "graph + vectors without reuse + output copies"),
              ("peak_bytes_with_reuse", add(add(gr, slot_bytes), outs), "graph + slots + output copies")]
    for key, want, what in checks:
        if coeffs(mem[key]) != want:
            err("$.memory." + key, "%s, but %s give %s" % (mem[key]["formula"], what, formula(*want)))
    a, b = coeffs(mem["peak_bytes_with_reuse"]), coeffs(mem["peak_bytes_without_reuse"])
    for x, y, k in zip(a, b, "cnm"):
        if x > y:
            err("$.memory.peak_bytes_with_reuse", "coefficient %s = %d exceeds %d without reuse" % (k, x, y))

    # -- kernels per iteration
    if d["kernels_per_iteration"] > sum(1 for o in ops if o["op"] == "kernel"):
        err("$.kernels_per_iteration", "more than the kernels in the program")


# ---- driver ---------------------------------------------------------------------------------

def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate field '%s'" % k)
        seen[k] = v
    return seen


def check_document(text, schema, expect_nodes=None, expect_edges=None):
    """Returns [(path, message)] for one document's text."""
    try:
        d = json.loads(text, object_pairs_hook=no_duplicates)
    except ValueError as e:
        return [("$", "not JSON: %s" % e)]
    errors = []
    validate(d, schema, schema, "$", errors)
    if errors:
        return errors  # the cross-checks assume the shape is right
    check_plan(d, errors, expect_nodes, expect_edges)
    return errors


def main(argv):
    schema_path, files, expect = DEFAULT_SCHEMA, [], {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--schema", "--nodes", "--edges") and i + 1 < len(argv):
            if a == "--schema":
                schema_path = argv[i + 1]
            else:
                expect[a[2:]] = int(argv[i + 1])
            i += 2
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("--"):
            print("validate.py: unknown option %s" % a, file=sys.stderr)
            return 2
        else:
            files.append(a)
            i += 1
    if not files:
        print("usage: validate.py [--schema FILE] [--nodes N --edges M] DOC.json ...", file=sys.stderr)
        return 2
    with open(schema_path) as f:
        schema = json.load(f)
    bad = 0
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else open(name).read()
        except OSError as e:
            print("validate.py: %s" % e, file=sys.stderr)
            return 2
        try:
            errors = check_document(text, schema, expect.get("nodes"), expect.get("edges"))
        except SchemaError as e:
            print("validate.py: the schema %s: %s" % (schema_path, e), file=sys.stderr)
            return 2
        for path, msg in errors:
            print("%s: %s: %s" % (name, path, msg))
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
