import "server-only";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { create as contentDisposition } from "content-disposition";
import {
  assertBlobKey,
  BlobNotFoundError,
  type BlobStore,
  type S3StoreConfig,
} from "@/lib/attachments/storage/types";

// Attachments in an S3 bucket (AWS or an S3-compatible server). Puts stream through lib-storage's
// Upload (multipart in 5 MiB parts, at most two in memory); a body that fails mid-way rejects the
// put and no object appears (the multipart upload is never completed; Upload aborts it, and a
// bucket lifecycle rule for incomplete multipart uploads cleans up after servers that cannot).
// Downloads go straight from the bucket through short-lived presigned URLs.
export function createS3Store(config: S3StoreConfig): BlobStore {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    // The SDK's default ("WHEN_SUPPORTED") sends a streamed body with aws-chunked framing and a
    // trailing checksum; S3-compatible servers that do not understand it store the framing as
    // part of the object (measured: 55 bytes longer). Checksums only where an API requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = config.bucket;

  return {
    kind: "s3",

    async put(key, body, { contentType }) {
      assertBlobKey(key);
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: body, ContentType: contentType },
        queueSize: 2,
        leavePartsOnError: false,
      });
      // The body's own error is the cause worth reporting: when it fails after the first part,
      // Upload's AbortMultipartUpload may fail too (servers without it), and that error would
      // otherwise replace it.
      let bodyError: unknown;
      body.once("error", (err) => (bodyError ??= err));
      try {
        await upload.done();
      } catch (err) {
        body.destroy();
        throw bodyError ?? err;
      }
    },

    async get(key) {
      assertBlobKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!res.Body) throw new BlobNotFoundError(key);
        return res.Body as Readable;
      } catch (err) {
        if (
          err instanceof NoSuchKey ||
          (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)
        ) {
          throw new BlobNotFoundError(key);
        }
        throw err;
      }
    },

    async delete(key) {
      assertBlobKey(key);
      // S3's DeleteObject already succeeds for an absent key.
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async signedUrl(key, { fileName, contentType, disposition, expiresInSeconds }) {
      assertBlobKey(key);
      const command = new GetObjectCommand({
        Bucket,
        Key: key,
        // RFC 6266: an ASCII filename= fallback plus filename*=UTF-8''... (RFC 5987) when needed.
        ResponseContentDisposition: contentDisposition(fileName, { type: disposition }),
        ResponseContentType: contentType,
      });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },
  };
}
