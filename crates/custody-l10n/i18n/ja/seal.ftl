# Messages for seal. Keep the ids in the same order in ja and en.
