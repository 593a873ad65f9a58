output "bucket" {
  description = "Name of the backups bucket."
  value       = module.bucket.s3_bucket_id
}

output "cron_jobs" {
  description = "Names of the backup CronJobs in the Open edX namespace."
  value       = [for job in kubernetes_cron_job_v1.backup : job.metadata[0].name]
}
