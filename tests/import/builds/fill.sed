/^service remote {$/a\
  image = "ghcr.io/example/app:main"
