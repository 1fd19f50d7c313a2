//! Reading a Terraform state stored in S3 (`s3://bucket/key`), as the S3 backend keeps it.

use anyhow::{Context, Result, bail};

/// Split `s3://bucket/key` into bucket and key.
pub fn parse_url(url: &str) -> Result<(&str, &str)> {
    let rest = url.strip_prefix("s3://").context("an S3 state URL starts with s3://")?;
    match rest.split_once('/') {
        Some((b, k)) if !b.is_empty() && !k.is_empty() => Ok((b, k)),
        _ => bail!("{url}: expected s3://bucket/key"),
    }
}

/// GetObject the state file.
pub async fn get(s3: &aws_sdk_s3::Client, url: &str) -> Result<String> {
    let (bucket, key) = parse_url(url)?;
    let out = s3.get_object().bucket(bucket).key(key).send().await.with_context(|| format!("reading state {url}"))?;
    let bytes = out.body.collect().await.with_context(|| format!("reading state {url}"))?.into_bytes();
    String::from_utf8(bytes.to_vec()).with_context(|| format!("state {url} is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_urls() {
        assert_eq!(super::parse_url("s3://b/envs/prod.tfstate").unwrap(), ("b", "envs/prod.tfstate"));
        assert!(super::parse_url("s3://b").is_err());
    }
}
