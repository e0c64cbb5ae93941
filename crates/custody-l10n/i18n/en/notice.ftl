# Messages for notice. Keep the ids in the same order in ja and en.
