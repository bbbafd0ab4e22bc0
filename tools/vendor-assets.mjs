// Copy the browser libraries the server ships from node_modules into server/static/vendor.
//
// Run `npm ci && npm run vendor` after changing a version in package.json, then commit the
// result: the server never needs npm or a CDN at run time. Source-map comments are dropped
// (the maps are not shipped, and a browser would otherwise ask the server for them).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "server", "static", "vendor");

const packages = [
  {
    name: "@zazuko/yasgui",
    dir: "yasgui",
    files: ["build/yasgui.min.js", "build/yasgui.min.css"],
    license: null,
  },
  {
    name: "cytoscape",
    dir: "cytoscape",
    files: ["dist/cytoscape.min.js"],
    license: "LICENSE",
  },
];

const manifest = [];
for (const pkg of packages) {
  const src = join(root, "node_modules", ...pkg.name.split("/"));
  const meta = JSON.parse(readFileSync(join(src, "package.json"), "utf8"));
  const target = join(out, pkg.dir);
  mkdirSync(target, { recursive: true });
  const files = {};
  for (const file of pkg.files) {
    const name = file.split("/").pop();
    const text = readFileSync(join(src, file), "utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+\s*(\*\/)?\s*$/, "\n");
    writeFileSync(join(target, name), text);
    files[name] = createHash("sha256").update(text).digest("hex");
  }
  if (pkg.license) {
    copyFileSync(join(src, pkg.license), join(target, "LICENSE"));
  }
  manifest.push({
    name: pkg.name,
    version: meta.version,
    license: meta.license,
    homepage: meta.homepage,
    files,
  });
}
writeFileSync(join(out, "VENDORED.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(manifest.map((m) => `${m.name}@${m.version}`).join("\n"));
