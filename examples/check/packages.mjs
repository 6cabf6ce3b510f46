// The packages an embedder installs: which workspaces are publishable, packing them, and the
// checks that what npm packs and installs is what the example needs and nothing from a registry.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Every workspace, from npm itself: `{ name, version, location, private, dependencies, ... }`. */
export function workspaces(repo) {
  return JSON.parse(execFileSync('npm', ['query', '.workspace'], { cwd: repo, encoding: 'utf8' }));
}

/**
 * The workspaces not marked private. Each may depend on another workspace only if that one is
 * publishable too, and only on its exact version: published side by side, they must resolve to
 * each other (npm's `overrides` in the example would otherwise hide a mismatch).
 */
export function publishablePackages(all) {
  const byName = new Map(all.map((w) => [w.name, w]));
  const publishable = all.filter((w) => !w.private);
  const problems = [];
  for (const pkg of publishable) {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(pkg[field] ?? {})) {
        const target = byName.get(name);
        if (!target) continue;
        if (target.private) problems.push(`${pkg.name} depends on ${name}, which is private`);
        else if (range !== target.version) problems.push(`${pkg.name} wants ${name}@"${range}"; it must be exactly ${target.version}`);
      }
    }
  }
  if (problems.length) throw new Error(`the publishable packages do not resolve together:\n  ${problems.join('\n  ')}`);
  return publishable.map(({ name, version, location }) => ({ name, version, location }));
}

/** The tarball name `npm pack` gives a package: `@scope/name@1.2.3` → `scope-name-1.2.3.tgz`. */
export function tarballName({ name, version }) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * The example must take every publishable package from its packed tarball, and force every
 * dependency on it (the editor's on the protocol, say) to that tarball too: npm otherwise asks
 * the registry, where `@tandem/*` names belong to someone else.
 */
export function checkExampleDependencies(examplePackageJson, packages, all) {
  const problems = [];
  for (const name of Object.keys(examplePackageJson.dependencies ?? {})) {
    const workspace = all.find((w) => w.name === name);
    if (workspace?.private) problems.push(`it needs ${name}, which is private`);
  }
  for (const pkg of packages) {
    const want = `file:${tarballName(pkg)}`;
    if (examplePackageJson.dependencies?.[pkg.name] !== want) problems.push(`dependencies["${pkg.name}"] must be "${want}"`);
    if (examplePackageJson.overrides?.[pkg.name] !== `$${pkg.name}`) problems.push(`overrides["${pkg.name}"] must be "$${pkg.name}"`);
  }
  if (problems.length) throw new Error(`examples/embedding/package.json does not match the packages:\n  ${problems.join('\n  ')}`);
}

/** Every file a package.json points at (main, types, exports), relative to the package. */
function pointedAt(manifest) {
  const targets = [manifest.main, manifest.types];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  return targets.filter(Boolean).map((t) => path.posix.normalize(t));
}

/** `npm pack` the packages into `destination`; checks each tarball holds its licence and every file its exports name. */
export function packInto(repo, packages, destination) {
  const args = ['pack', ...packages.flatMap((p) => ['-w', p.name]), '--pack-destination', destination, '--json'];
  const packed = JSON.parse(execFileSync('npm', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  for (const pkg of packages) {
    const entry = packed.find((p) => p.name === pkg.name);
    if (!entry) throw new Error(`npm pack made no tarball for ${pkg.name}`);
    if (entry.filename !== tarballName(pkg)) throw new Error(`npm pack named ${pkg.name}'s tarball ${entry.filename}, not ${tarballName(pkg)}`);
    const files = new Set(entry.files.map((f) => f.path));
    const manifest = JSON.parse(readFileSync(path.join(repo, pkg.location, 'package.json'), 'utf8'));
    const missing = ['LICENSE', 'README.md', ...pointedAt(manifest)].filter((f) => !files.has(f));
    if (missing.length) throw new Error(`${entry.filename} lacks ${missing.join(', ')} (run \`npm run build\` first?)`);
  }
  return packed.map((p) => p.filename);
}

/** Every installed copy of each package (nested ones too) must have come from its tarball. */
export function checkInstalledFromTarballs(lockfile, packages) {
  for (const pkg of packages) {
    const copies = Object.entries(lockfile.packages).filter(([key]) => key === `node_modules/${pkg.name}` || key.endsWith(`/node_modules/${pkg.name}`));
    if (copies.length !== 1) throw new Error(`${pkg.name} is installed ${copies.length} times: ${copies.map(([k]) => k).join(', ')}`);
    const [, entry] = copies[0];
    if (entry.resolved !== `file:${tarballName(pkg)}`) throw new Error(`${pkg.name} came from ${entry.resolved}, not its tarball`);
  }
}
