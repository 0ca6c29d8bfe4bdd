// Package minio implements ports.BlobStore on an S3 API (MinIO in production, any S3 in
// principle) with minio-go v7. Objects are content-addressed by the caller
// (domain.BlobKey), so a Put of an existing key rewrites identical bytes and the store needs
// no locking. Uploads stream with their known size and downloads stream from the HTTP body:
// no object is ever held whole in memory.
package minio
