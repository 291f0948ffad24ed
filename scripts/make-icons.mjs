// Renders public/favicon.svg to the PNG icons the web app manifest needs (public/icons/), with no
// image library: the icon is a few rects and circles, so this reads that SVG subset (rect with rx,
// circle; fill, stroke, stroke-width), samples each pixel 4×4 times and writes the PNG bytes itself.
// Run after changing the favicon: node scripts/make-icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'public', 'favicon.svg'), 'utf8');
const outDir = join(root, 'public', 'icons');

const viewBox = /viewBox="([^"]+)"/
  .exec(svg)?.[1]
  .split(/[\s,]+/)
  .map(Number);
if (!viewBox || viewBox.length !== 4) throw new Error('favicon.svg needs a viewBox');
const [, , vbWidth, vbHeight] = viewBox;

function attributes(tag) {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

function color(value) {
  if (!value || value === 'none') return null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1];
  if (!hex) throw new Error(`Unsupported colour ${value}: use #rgb or #rrggbb`);
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
}

/** Each shape as an inside(x, y) test in SVG units, with its colour, in paint order. */
const layers = [];
for (const match of svg.matchAll(/<(rect|circle)\b([^>]*)\/?>/g)) {
  const [, kind, rest] = match;
  const a = attributes(rest);
  const num = (name, fallback = 0) => (a[name] === undefined ? fallback : Number(a[name]));
  const fill = color(a.fill ?? '#000');
  const stroke = color(a.stroke);
  const strokeWidth = num('stroke-width', 1);
  if (kind === 'rect') {
    const x = num('x'),
      y = num('y'),
      w = num('width'),
      h = num('height'),
      r = Math.min(num('rx', num('ry')), w / 2, h / 2);
    const inside = (px, py) => {
      if (px < x || px > x + w || py < y || py > y + h) return false;
      const cx = Math.min(Math.max(px, x + r), x + w - r),
        cy = Math.min(Math.max(py, y + r), y + h - r);
      return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
    };
    if (fill) layers.push({ rgb: fill, inside, background: true });
    if (stroke) throw new Error('rect strokes are not supported');
  } else {
    const cx = num('cx'),
      cy = num('cy'),
      r = num('r');
    if (fill) layers.push({ rgb: fill, inside: (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r });
    if (stroke) layers.push({ rgb: stroke, inside: (px, py) => Math.abs(Math.hypot(px - cx, py - cy) - r) <= strokeWidth / 2 });
  }
}

/**
 * RGBA pixels of the icon at `size`. Maskable: the background fills the whole square and the rest
 * shrinks to `scale` so it stays inside the safe zone whatever shape the platform cuts.
 */
function render(size, { maskable = false, scale = 1 } = {}) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        alpha = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          // The sample point in viewBox units, scaled about the centre.
          const x = vbWidth / 2 + (((px + (sx + 0.5) / n) / size) * vbWidth - vbWidth / 2) / scale;
          const y = vbHeight / 2 + (((py + (sy + 0.5) / n) / size) * vbHeight - vbHeight / 2) / scale;
          let rgb = null;
          for (const layer of layers) {
            if (maskable && layer.background) rgb = layer.rgb;
            else if (layer.inside(x, y)) rgb = layer.rgb;
          }
          if (rgb) {
            r += rgb[0];
            g += rgb[1];
            b += rgb[2];
            alpha += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      // Colours are averaged over the covered samples (no dark fringe at transparent edges).
      if (alpha > 0) pixels.set([r / alpha, g / alpha, b / alpha, (alpha / (n * n)) * 255].map(Math.round), i);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4); // filter 0 per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ICONS = [
  { file: 'icon-192.png', size: 192 },
  { file: 'icon-512.png', size: 512 },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true, scale: 0.9 },
  // The maskable safe zone is the centre circle of 80% diameter: the ring (outer radius 35% of the
  // icon) at 0.8 scale stays well inside it.
  { file: 'icon-maskable-512.png', size: 512, maskable: true, scale: 0.8 },
];

mkdirSync(outDir, { recursive: true });
for (const icon of ICONS) {
  const bytes = png(icon.size, render(icon.size, icon));
  writeFileSync(join(outDir, icon.file), bytes);
  console.log(`public/icons/${icon.file}: ${icon.size}×${icon.size}, ${bytes.length} bytes`);
}
