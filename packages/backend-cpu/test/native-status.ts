// Test helper: when the native engine cannot load on this machine (no prebuilt binary for this platform and
// no compiler to build one: the package build recorded why), the engine tests are skipped with that reason,
// as the tfjs fallback is what runs there (unless MSAE_CPU_REQUIRE_NATIVE=1, as in CI, where it fails).
import { loadNative } from '../src/native-binding.js';

/** Why the native engine is unavailable, or undefined when it loads. */
export function nativeBuildSkipped(): string | undefined {
  const n = loadNative();
  if (n.addon) return undefined;
  // CI sets MSAE_CPU_REQUIRE_NATIVE=1: there a missing native engine must fail the tests, not skip them
  if (process.env.MSAE_CPU_REQUIRE_NATIVE === '1') throw new Error(`native engine required but unavailable: ${n.reason}`);
  process.stderr.write(`skipping native engine tests: ${n.reason}\n`);
  return n.reason ?? 'native engine unavailable';
}
