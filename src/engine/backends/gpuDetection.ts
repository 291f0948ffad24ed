/**
 * Whether this browser's WebGL and WebGPU run on a real GPU, asked of the browser directly (no
 * tfjs needed): a software rasteriser (SwiftShader, llvmpipe) trains far slower than the fused
 * CPU trainer, so 'auto' only considers a GPU backend that is hardware-accelerated.
 */

export interface GpuInfo {
  available: boolean;
  accelerated: boolean;
  /** The renderer or adapter as the browser names it, e.g. "ANGLE (NVIDIA, ...)"; '' if unavailable. */
  device: string;
  /** Why not available or not accelerated; '' when it is both. */
  problem: string;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|lavapipe|mesa offscreen/i;

function makeCanvas(): OffscreenCanvas | null {
  return typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1) : null;
}

function loseContext(gl: WebGLRenderingContext | WebGL2RenderingContext): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}

/** WebGL (2, else 1) and its renderer string; software if the renderer says so or the browser reports a major performance caveat. */
export function detectWebGl(): GpuInfo {
  const canvas = makeCanvas();
  if (!canvas) return { available: false, accelerated: false, device: '', problem: 'no OffscreenCanvas in this context' };
  let gl: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  try {
    gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  } catch (error) {
    return { available: false, accelerated: false, device: '', problem: `WebGL failed: ${(error as Error).message}` };
  }
  if (!gl) return { available: false, accelerated: false, device: '', problem: 'WebGL is disabled or unsupported' };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const device = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  const webgl2 = typeof WebGL2RenderingContext === 'function' && gl instanceof WebGL2RenderingContext;
  loseContext(gl);
  // Chromium refuses such a context where the GPU is blocklisted or emulated in software.
  const strict = makeCanvas()!.getContext(webgl2 ? 'webgl2' : 'webgl', { failIfMajorPerformanceCaveat: true });
  if (strict) loseContext(strict as WebGLRenderingContext);
  const software = SOFTWARE_RENDERER.test(device);
  const problem = software ? 'software renderer' : strict ? '' : 'the browser reports a major performance caveat (no usable GPU)';
  return { available: true, accelerated: problem === '', device, problem };
}

/** The parts of the WebGPU API this module reads (typed here: the project does not ship @webgpu/types). */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

/** WebGPU's adapter; software if it is a fallback adapter or names a software rasteriser. */
export async function detectWebGpu(): Promise<GpuInfo> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, accelerated: false, device: '', problem: 'WebGPU is not exposed by this browser' };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { available: false, accelerated: false, device: '', problem: `WebGPU failed: ${(error as Error).message}` };
  }
  if (!adapter) return { available: false, accelerated: false, device: '', problem: 'no WebGPU adapter' };
  const info: AdapterInfoLike = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => ({}))) ?? {};
  const device =
    [info.vendor, info.architecture, info.device, info.description]
      .filter((s) => s)
      .join(' ')
      .trim() || 'unnamed adapter';
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const problem = fallback ? 'fallback (software) adapter' : SOFTWARE_RENDERER.test(device) ? 'software adapter' : '';
  return { available: true, accelerated: problem === '', device, problem };
}
