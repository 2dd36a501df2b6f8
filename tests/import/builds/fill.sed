s|^service remote {}|service remote { image = "ghcr.io/example/app:main" }|
/# start: not known/a\
    start = ["python", "-m", "jobs"]
