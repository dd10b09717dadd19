// Validates Kubernetes objects with the published kubernetes-models packages (MIT, tommy351/kubernetes-models-ts):
//   kubernetes-models                  models generated from the Kubernetes OpenAPI spec
//   @kubernetes-models/cloudnative-pg  models generated from CloudNativePG's CRDs (cnpg-1.29.0.yaml)
// Each object is checked twice, with what the package ships for its kind:
//   1. the model's validate(): the package's precompiled JSON Schema validator (types, required fields, enums,
//      formats, patterns);
//   2. the model's TypeScript declaration, by the TypeScript compiler: the object is written as an object literal
//      of that interface, so a field the schema does not declare is an "excess property" error at any depth (the
//      JSON Schema validator lets unknown fields through, as the API server's pruning would; kubectl's strict
//      field validation rejects them).
// Protocol: each line of stdin is a JSON array of objects; for each, one line of stdout answers with a JSON array,
// per object, of its problems ([] = valid). An object whose apiVersion/kind no package here models gets the
// problem "no model". The process lives until stdin closes, so the parsed declarations are reused across requests.
// It runs from the directory where package.json/package-lock.json were installed (k8s/target/npm).
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The module (import specifier) that models apiVersion/kind, or null. */
function moduleOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "postgresql.cnpg.io") {
    return `@kubernetes-models/cloudnative-pg/${group}/${version}/${kind}`;
  }
  // core (""), apps, policy, autoscaling, batch... are plain names in kubernetes-models; other groups are DNS names
  return `kubernetes-models/${group === "" ? "" : group + "/"}${version}/${kind}`;
}

async function modelOf(object) {
  const specifier = moduleOf(String(object.apiVersion ?? ""), String(object.kind ?? ""));
  try {
    const module = await import(specifier);
    const model = module[object.kind];
    return model ? { specifier, model } : null;
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      return null;
    }
    throw e;
  }
}

function schemaProblems(model, object) {
  try {
    new model(object).validate();
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) {
      return [String(e.message ?? e)];
    }
    return e.errors.map((err) => {
      const at = (err.instancePath ?? "").split("/").slice(1)
        .map((segment) => /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`).join("");
      const allowed = err.params?.allowedValues ? " " + JSON.stringify(err.params.allowedValues) : "";
      return `${at || "."}: ${err.message}${allowed}`;
    });
  }
}

/**
 * Appends a value to w.text as a TypeScript literal and records, for each property and array item, the text range
 * it takes with its path, so that a compiler diagnostic can be named by the path it points into.
 */
function literal(value, at, w, spans) {
  if (Array.isArray(value)) {
    w.text += "[";
    value.forEach((v, i) => {
      if (i > 0) w.text += ", ";
      const start = w.text.length;
      literal(v, `${at}[${i}]`, w, spans);
      spans.push({ start, end: w.text.length, path: `${at}[${i}]` });
    });
    w.text += "]";
  } else if (value !== null && typeof value === "object") {
    w.text += "{";
    // a null field is an unset one to the API server (the JSON Schema check above still sees it as null)
    Object.entries(value).filter(([, v]) => v !== null).forEach(([k, v], i) => {
      if (i > 0) w.text += ", ";
      const start = w.text.length;
      w.text += JSON.stringify(k) + ": ";
      literal(v, `${at}.${k}`, w, spans);
      spans.push({ start, end: w.text.length, path: `${at}.${k}` });
    });
    w.text += "}";
  } else {
    w.text += JSON.stringify(value);
  }
}

const OPTIONS = {
  strict: true, noEmit: true, skipLibCheck: true, types: [],
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
};
const host = ts.createCompilerHost(OPTIONS);
const getSourceFile = host.getSourceFile;
const fileExists = host.fileExists;
const declarations = new Map();
let previous;

/** Type-checks every object against its model's interface; returns problems per object index. */
function typeProblems(checked) {
  const w = { text: "" };
  const spans = [];
  const ranges = [];
  checked.forEach(({ specifier, object }, n) => {
    w.text += `import type { I${object.kind} as T${n} } from ${JSON.stringify(specifier)};\n`;
  });
  checked.forEach(({ object }, n) => {
    w.text += `export const o${n}: T${n} = `;
    const start = w.text.length;
    const objectSpans = [];
    literal(object, "", w, objectSpans);
    ranges.push({ start, end: w.text.length, n });
    spans.push(...objectSpans.map((s) => ({ ...s, n })));
    w.text += ";\n";
  });
  const text = w.text;
  const file = path.join(HERE, "rendered-objects.ts");
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    if (name === file) {
      return ts.createSourceFile(name, text, language, true);
    }
    // the packages' declarations do not change: parse (and bind) each once for all requests
    if (!declarations.has(name)) {
      declarations.set(name, getSourceFile.call(host, name, language, ...rest));
    }
    return declarations.get(name);
  };
  const program = ts.createProgram({ rootNames: [file], options: OPTIONS, host, oldProgram: previous });
  previous = program;
  const problems = checked.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    // an inline type is printed in full: name it instead
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/'\{[^']*'/g, "the declared type");
    if (d.file?.fileName !== file || d.start === undefined) {
      throw new Error("the type check itself failed: " + message);
    }
    const object = ranges.find((r) => d.start >= r.start && d.start < r.end);
    if (!object) {
      throw new Error("the type check itself failed: " + message);
    }
    // the innermost property the diagnostic points into names where the problem is
    const at = spans.filter((s) => s.n === object.n && d.start >= s.start && d.start < s.end)
      .sort((a, b) => (a.end - a.start) - (b.end - b.start))[0];
    problems[object.n].push(`${at ? at.path : "."}: ${message}`);
  }
  return problems;
}

async function validate(objects) {
  const results = objects.map(() => []);
  const checked = [];
  for (const [i, object] of objects.entries()) {
    const found = await modelOf(object);
    if (!found) {
      results[i].push(`no model for ${object.apiVersion}/${object.kind}`
        + " in kubernetes-models or @kubernetes-models/cloudnative-pg");
      continue;
    }
    results[i].push(...schemaProblems(found.model, object));
    checked.push({ i, specifier: found.specifier, object });
  }
  if (checked.length > 0) {
    typeProblems(checked).forEach((p, n) => results[checked[n].i].push(...p));
  }
  return results;
}

for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() !== "") {
    process.stdout.write(JSON.stringify(await validate(JSON.parse(line))) + "\n");
  }
}
