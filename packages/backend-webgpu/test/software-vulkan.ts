/**
 * Test environment for Dawn in Node on a machine without a GPU: Chromium's SwiftShader Vulkan driver
 * (Debian's lavapipe is refused by Dawn). Sets VK_ICD_FILENAMES to it, and, when the system has no Vulkan
 * loader (libvulkan1), puts Chromium's own loader on LD_LIBRARY_PATH. Called from vitest.config.ts, i.e. in the
 * main process before the test workers start (the dynamic linker reads LD_LIBRARY_PATH only at process start).
 */
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHROMIUM_LIB = '/usr/lib/chromium';
const SYSTEM_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib64/libvulkan.so.1', '/usr/lib/libvulkan.so.1'];

/** Whether Node tests can reach a WebGPU adapter here (an explicit VK_ICD_FILENAMES is respected). */
export function softwareVulkanPresent(): boolean {
  return existsSync(process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD);
}

export function configureSoftwareVulkan(env: NodeJS.ProcessEnv = process.env): void {
  if (process.env.MSAE_WEBGPU_HARDWARE === '1') return; // bench / hardware runs: keep the real driver
  if (!env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  const chromiumIcd = env.VK_ICD_FILENAMES === SWIFTSHADER_ICD;
  if (chromiumIcd && !SYSTEM_LOADERS.some((p) => existsSync(p)) && existsSync(`${CHROMIUM_LIB}/libvulkan.so.1`)) {
    const cur = env.LD_LIBRARY_PATH ?? '';
    if (!cur.split(':').includes(CHROMIUM_LIB)) env.LD_LIBRARY_PATH = cur ? `${CHROMIUM_LIB}:${cur}` : CHROMIUM_LIB;
  }
}
