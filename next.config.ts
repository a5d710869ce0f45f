import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Metadata is resolved before the response starts, for every client (not only for bots): a
  // page whose generateMetadata calls notFound() (the ticket page) then answers HTTP 404 instead
  // of a 200 that streams the not-found page (issue 10 §5). Our metadata is cheap.
  htmlLimitedBots: /.*/,
  // Server-only packages that must not be bundled (native-ish or large runtime deps).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "bcryptjs"],
  experimental: {
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
