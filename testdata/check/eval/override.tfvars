override = "from-var-file"
