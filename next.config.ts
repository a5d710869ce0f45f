import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages that must not be bundled (native-ish or large runtime deps).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "bcryptjs"],
  experimental: {
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
