import { readFileSync } from "node:fs";
import path from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import JSZip from "jszip";
import { buildManifest, PACKAGE_FILES } from "./manifest-build";
import type { PackageSettings } from "./package-settings";

/** Schema errors of a manifest, checked offline against the schema shipped in @microsoft/app-manifest. */
export async function manifestErrors(manifest: Record<string, unknown>): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0]);
}

/** The app package: a zip of the manifest and the two icons. Refuses a manifest that fails validation. */
export async function buildAppPackage(settings: PackageSettings): Promise<{ zip: Buffer; manifest: Record<string, unknown> }> {
  const manifest = buildManifest(settings);
  const errors = await manifestErrors(manifest);
  if (errors.length > 0) throw new Error(`The Teams app manifest does not validate: ${errors.join("; ")}`);
  const zip = new JSZip();
  zip.file("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of PACKAGE_FILES.filter((f) => f.endsWith(".png"))) zip.file(icon, readFileSync(path.join(__dirname, icon)));
  return { zip: await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }), manifest };
}

/** Schema errors of a package's manifest, or what keeps the zip from being a Teams app package. */
export async function packageErrors(zipBytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(zipBytes);
  const names = Object.keys(zip.files).sort();
  const wanted = [...PACKAGE_FILES].sort();
  if (names.join() !== wanted.join()) return [`the zip holds ${names.join(", ")}; a package holds exactly ${wanted.join(", ")}`];
  let manifest: unknown;
  try {
    manifest = JSON.parse(await zip.file("manifest.json")!.async("string"));
  } catch {
    return ["manifest.json is not JSON"];
  }
  return manifestErrors(manifest as Record<string, unknown>);
}
