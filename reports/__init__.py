"""Reports on the ledger: yearly cost, transfers, positions, budget, the motion answer, the trace.

Every report reads one frame (`frame.build_frame`), returns one result shape
(`result.Report`) and is written by thin writers (`writers`); the command
line and Fava's pages call the same functions.
"""
