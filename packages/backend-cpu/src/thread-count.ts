/** Default worker-thread count of the native engine: MSAE_CPU_THREADS when set to a positive integer, else 0 (= every core). */
export function defaultThreadCount(): number {
  const fromEnv = Number(process.env.MSAE_CPU_THREADS ?? 0);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 0;
}
