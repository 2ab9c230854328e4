"""Medical supplies: catalogue (master data from central), GS1 scanning, stock ledger."""
