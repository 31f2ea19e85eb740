/** The release the fake imitates: the test cluster's (packages/testing/cluster/RELEASE). */
export const RELEASE = { major: '1', minor: '37', patch: '2' } as const;

/** `v1.37.2`: the release as OpenAPI `info.version` and discovery name it. */
export const RELEASE_VERSION = `v${RELEASE.major}.${RELEASE.minor}.${RELEASE.patch}`;

/**
 * `GET /version`, with every field a v1.37 apiserver sends. `gitVersion` says it is the fake
 * (`v1.37.2-kates-fake`), so `kubectl version` tells the two apart; the build fields a Go binary
 * would have are empty.
 */
export function versionInfo() {
  return {
    major: RELEASE.major,
    minor: RELEASE.minor,
    emulationMajor: RELEASE.major,
    emulationMinor: RELEASE.minor,
    minCompatibilityMajor: RELEASE.major,
    minCompatibilityMinor: String(Number(RELEASE.minor) - 1),
    gitVersion: `${RELEASE_VERSION}-kates-fake`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: '',
    compiler: '',
    platform: 'linux/amd64',
  };
}
