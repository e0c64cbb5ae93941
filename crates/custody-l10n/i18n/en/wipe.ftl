# Messages for wipe. Keep the ids in the same order in ja and en.
