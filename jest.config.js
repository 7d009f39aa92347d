/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  // Graph conformance: every simulator a suite starts in-process is checked against Graph's schema
  // (test/conformance/); a violation fails the run (GRAPH_CONFORMANCE=report only lists them, =off skips the check).
  setupFilesAfterEnv: ["<rootDir>/test/conformance/jest-setup.ts"],
  globalSetup: "<rootDir>/test/conformance/jest-global-setup.ts",
  globalTeardown: "<rootDir>/test/conformance/jest-global-teardown.ts",
};
