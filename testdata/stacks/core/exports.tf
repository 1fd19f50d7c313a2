# A bucket nothing else references: the end-to-end test deletes it out of band to check
# "missing" (deleting a referenced bucket would break Terraform's own refresh-only plan,
# the test's oracle, with an invalid index).
resource "aws_s3_bucket" "exports" {
  bucket = "clinic-exports"
  tags   = { Name = "clinic-exports" }
}
