# Messages for cli. Keep the ids in the same order in ja and en.
