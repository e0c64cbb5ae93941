# Messages for open. Keep the ids in the same order in ja and en.
