/**
 * Stands in for the Node built-ins (path, crypto, fs, fs/promises, url, os) that the Node-only parts of
 * @msae/analysis (LanceDB index) and @msae/concepts (vocabulary files, cache) import at the top of their
 * one entry: in the page they are never called. Until those packages have browser entries, the site
 * aliases the built-ins to this module; every function refuses.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser (Node-only code of @msae/analysis or @msae/concepts)`);
}
const refuse =
  (name: string) =>
  (..._: unknown[]): never =>
    unavailable(name);
export const resolve = refuse('path.resolve');
export const basename = refuse('path.basename');
export const dirname = refuse('path.dirname');
export const extname = refuse('path.extname');
export const join = refuse('path.join');
export const relative = refuse('path.relative');
export const isAbsolute = refuse('path.isAbsolute');
export const sep = '/';
export const randomBytes = refuse('crypto.randomBytes');
export const createHash = refuse('crypto.createHash');
export const access = refuse('fs.access');
export const mkdir = refuse('fs.mkdir');
export const readdir = refuse('fs.readdir');
export const rename = refuse('fs.rename');
export const rm = refuse('fs.rm');
export const stat = refuse('fs.stat');
export const open = refuse('fs.open');
export const readFile = refuse('fs.readFile');
export const writeFile = refuse('fs.writeFile');
export const existsSync = refuse('fs.existsSync');
export const readFileSync = refuse('fs.readFileSync');
export const statSync = refuse('fs.statSync');
export const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };
export const fileURLToPath = refuse('url.fileURLToPath');
export const pathToFileURL = refuse('url.pathToFileURL');
export const homedir = refuse('os.homedir');
export const tmpdir = refuse('os.tmpdir');
export default { resolve, basename, dirname, extname, join, relative, isAbsolute, sep, constants, homedir, tmpdir };
