/**
 * Draws Rewind's two Teams icons (run once with `npx tsx manifest/make-icons.ts`; the PNGs are committed):
 * color.png, 192×192, the rewind mark in white on the brand blue; outline.png, 32×32, the mark in white on a
 * transparent background (Teams' rule for outline icons). Edges are anti-aliased by 4×4 supersampling.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

/** The brand blue (also the manifest's accentColor). */
export const BRAND_BLUE = { r: 0x0f, g: 0x6c, b: 0xbd };

/** Whether the point (x, y) in the unit square lies in the rewind mark: two triangles pointing left. */
function inMark(x: number, y: number): boolean {
  const top = 0.25;
  const bottom = 0.75;
  if (y < top || y > bottom) return false;
  // Each triangle: apex on the left at mid-height, base vertical on the right.
  const halfHeight = (bottom - top) / 2;
  const inTriangle = (apexX: number, baseX: number): boolean => {
    if (x < apexX || x > baseX) return false;
    const reach = ((x - apexX) / (baseX - apexX)) * halfHeight;
    return Math.abs(y - 0.5) <= reach;
  };
  return inTriangle(0.16, 0.5) || inTriangle(0.5, 0.84);
}

/** Coverage of pixel (px, py) of a size×size icon by the mark, from 0 to 1. */
function coverage(px: number, py: number, size: number): number {
  const n = 4;
  let hits = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (inMark((px + (i + 0.5) / n) / size, (py + (j + 0.5) / n) / size)) hits++;
  return hits / (n * n);
}

function draw(size: number, background: { r: number; g: number; b: number } | null): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const k = (y * size + x) * 4;
      const c = coverage(x, y, size);
      if (background === null) {
        png.data[k] = png.data[k + 1] = png.data[k + 2] = 255;
        png.data[k + 3] = Math.round(c * 255);
      } else {
        png.data[k] = Math.round(background.r + (255 - background.r) * c);
        png.data[k + 1] = Math.round(background.g + (255 - background.g) * c);
        png.data[k + 2] = Math.round(background.b + (255 - background.b) * c);
        png.data[k + 3] = 255;
      }
    }
  }
  return PNG.sync.write(png);
}

if (require.main === module) {
  writeFileSync(path.join(__dirname, "color.png"), draw(192, BRAND_BLUE));
  writeFileSync(path.join(__dirname, "outline.png"), draw(32, null));
  process.stdout.write("manifest/color.png (192×192) and manifest/outline.png (32×32) written\n");
}
