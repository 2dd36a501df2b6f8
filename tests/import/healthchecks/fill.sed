# Compose takes sub-second health-check timings; Kubernetes probes count
# whole seconds, so `depc check` rejects them (E0324) until they are set.
s|interval  = 500ms|interval  = 1s|
s|timeout   = 1500ms|timeout   = 2s|
