/// The demo's prompts: everyday requests an app sends, from trivial to demanding.
enum DemoPrompts {
    /// Sent once per strategy, to compare cost-first with performance-first on the same work.
    static let comparison = [
        "Summarise this support ticket in one sentence: the customer cannot reset their password from the mobile app.",
        "Rewrite this search query for a product catalogue: cheap waterproof hiking boots women size 38",
        "Classify the sentiment of this review as positive, negative or neutral: 'Arrived late but works great.'",
        "Draft a two-line reply thanking a customer for renewing their annual plan.",
        "Extract the invoice number and total from: Invoice INV-2291, total due EUR 1,240.00 by 30 June.",
        "Explain in three bullet points why our cloud bill grew 18% month over month, given compute grew 30% and storage fell 5%.",
        "Write a SQL query that returns the ten customers with the highest total order value in 2026.",
        "Translate to German: 'Your order has shipped and will arrive on Thursday.'",
    ]

    /// The auto strategy's mix: mostly simple requests, some that need a strong model.
    static let mixed: [String] = [
        "What is the capital of Canada?",
        "Translate 'good morning' into Spanish.",
        "Give me a synonym for 'quick'.",
        "Is 17 a prime number?",
        "Convert 5 kilometres to miles.",
        "What day of the week was 1 January 2026?",
        "Spell-check: 'Recieve the pacakge tomorow.'",
        "Suggest a subject line for a meeting reminder email.",
        "Summarise in one sentence: the release moved from Tuesday to Thursday because QA found a login bug.",
        "List three fruits that are red.",
        "Rewrite more politely: 'Send me the report now.'",
        "What does the acronym SLA stand for?",
        "Classify this ticket as billing, technical or account: 'I was charged twice this month.'",
        "Extract the date from: 'The contract renews on 14 March 2027.'",
        "Give a one-line definition of gross margin.",
        "Turn this into a bullet list: milk, eggs, bread, coffee.",
        "Answer yes or no: is Python a programming language?",
        "What is 15% of 240?",
        "Name the largest planet in the solar system.",
        "Write a friendly one-line greeting for a newsletter.",
        "Capitalise this title: the quiet economics of cloud storage",
        "Which is larger, 0.7 or 0.65?",
        "Give me a hashtag for a product launch about solar panels.",
        "Reply with the ISO country code for Japan.",
        """
        Prove that the square root of 2 is irrational, then generalise the argument to show that the square root of any \
        prime p is irrational, and explain step by step where the proof would fail for a perfect square.
        """,
        """
        Design a rate limiter for a multi-region API gateway: compare token bucket, GCRA and sliding-window log, derive the \
        memory cost per tenant for 10 million tenants, and write Go code for the variant you choose, with tests.
        """,
        """
        Our monthly LLM spend is a time series with weekly seasonality and a growth trend. Derive a forecasting model, \
        explain how to estimate its parameters, compute a 90% prediction interval for month end, and discuss failure modes.
        """,
        """
        Refactor this recursive Fibonacci function into an iterative one, analyse the time and space complexity of both, \
        then implement memoised and matrix-exponentiation versions in Swift and prove the matrix identity they rely on.
        """,
        """
        A contract says liability is capped at twelve months of fees except for breaches of confidentiality. Analyse the \
        clause under English and New York law, list the negotiation risks for the customer, and propose revised wording.
        """,
        """
        Solve the system: 3x + 2y - z = 1, 2x - 2y + 4z = -2, -x + y/2 - z = 0. Show each elimination step, verify the \
        solution, and explain how the condition number of the matrix affects numerical stability.
        """,
        """
        Write a Python program that parses a 20 GB CSV of payments in bounded memory, detects duplicate charges within \
        five minutes per card, and reports them; explain the algorithm's complexity and how you would test it.
        """,
        """
        Compare the consistency models of PostgreSQL serializable isolation and a Redis Lua script used for budget \
        counters across replicas, reason about anomalies under network partitions, and recommend a design with proofs.
        """,
    ]
}
