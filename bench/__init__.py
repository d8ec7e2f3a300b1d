"""`make bench`: throughput, latency and memory side by side with bare Bolt and botbuilder."""
