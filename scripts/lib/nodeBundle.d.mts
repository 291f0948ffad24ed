/** Bundles `entries` ({ name: 'src/…ts' }) into `outDir` as `<name>.mjs`, emptying it first. */
export declare function bundleForNode(entries: Record<string, string>, outDir: string, external?: string[]): Promise<void>;
