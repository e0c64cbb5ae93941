# Messages for ledger. Keep the ids in the same order in ja and en.
