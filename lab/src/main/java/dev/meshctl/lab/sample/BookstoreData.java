package dev.meshctl.lab.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Supplies the fixed catalogue data that the details, reviews and ratings roles serve. */
final class BookstoreData {

    private BookstoreData() {
    }

    /** Returns the book record the details service answers with. */
    static Map<String, Object> book(int id) {
        Map<String, Object> book = new LinkedHashMap<>();
        book.put("id", id);
        book.put("author", "William Shakespeare");
        book.put("year", 1595);
        book.put("type", "paperback");
        book.put("pages", 200);
        book.put("publisher", "PublisherA");
        book.put("language", "English");
        book.put("ISBN-10", "1234567890");
        book.put("ISBN-13", "123-1234567890");
        return book;
    }

    /** Returns the reviewers' texts the reviews service answers with. */
    static List<Map<String, Object>> reviews() {
        return List.of(
                review("Reviewer1", "A very entertaining play; the slapstick humour is refreshing."),
                review("Reviewer2", "Great fun, though thinner in themes than the author's other plays."));
    }

    /** Returns the stars each reviewer gave, as the ratings service answers them. */
    static Map<String, Object> ratings() {
        Map<String, Object> ratings = new LinkedHashMap<>();
        ratings.put("Reviewer1", 5);
        ratings.put("Reviewer2", 4);
        return ratings;
    }

    /** Returns the colour reviews of a version draw stars in, or null when that version shows no ratings. */
    static String starColour(String version) {
        switch (version) {
            case "v2":
                return "black";
            case "v3":
                return "red";
            default:
                return null;
        }
    }

    private static Map<String, Object> review(String reviewer, String text) {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("reviewer", reviewer);
        review.put("text", text);
        return review;
    }
}
