"""The bench's modules (bench/run is the entry point).

  config    knobs from the environment, paths, logging, running commands
  build     scripts/deps, make, the two helper programs
  images    the test images (generated once, deterministic) and their per-request slots
  procs     /proc: process trees, RSS, CPU time
  measure   wrk runs, and one measured run under a Watch (RSS, CPU per process group)
  stacks    the stacks side by side: imghost (local store, and S3 store on a local S3
            server), the peer, the trivial responder
  cases     what is measured, in which order, on which stack
  report    targets, the Markdown report and the JSON next to it
  driver    main(): the whole run, in order
"""
