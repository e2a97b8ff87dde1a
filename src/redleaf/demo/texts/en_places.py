"""English notes about travel and city life."""

from __future__ import annotations

from redleaf.demo.texts.writing import Writing

WRITINGS: dict[str, Writing] = {
    "city_trip": Writing(
        titles=(
            "{days} days in {city}: what I'd do again",
            "{city} on a budget ✨ my honest guide",
            "First time in {city}? Read this first",
            "A {city} itinerary that actually worked",
            "Why {city} stole my heart 💛",
            "{place} at golden hour 🌅",
        ),
        body=(
            (
                "Just got back from {days} days in {city} and I'm already planning the next trip.",
                "I almost skipped {city}. So glad I didn't.",
                "Saving this for everyone who asked me about {city} in the comments 👇",
                "Went to {city} {with}, zero plans, and it turned out perfect.",
            ),
            (
                "📍 {place}: go before {hour}. By ten it's packed, but early on it's just you "
                "and a few locals with their tea.",
                "📍 {place} was the highlight. Take the side streets instead of the main road, "
                "that's where the good snacks are.",
                "📍 {place} looks even better in person. Bring a jacket, evenings get chilly.",
            ),
            (
                "🚇 Getting around: public transport is clean and cheap, and a transit QR code "
                "in your payment app works on every line.",
                "🏨 We stayed near {place}, about {stay} a night, walkable to almost everything.",
                "💳 Lots of places only take mobile payment, so set that up before you land.",
                "",
            ),
            (
                "🍜 Eat wherever the line of locals is longest. That rule never failed me here.",
                "🍜 Don't leave without trying the local breakfast. Ask for less spicy if "
                "you're new to it 😅",
                "🍜 The street food was better than any restaurant we booked, about {price} "
                "a person for a feast.",
            ),
            (
                "Would I go back? Already looking at flights.",
                "Questions welcome, I'll answer everything in the comments!",
                "Save this for later and thank me when you're there 🙌",
            ),
        ),
        tags=("travel", "{city_tag}", "{region}", "travelguide", "itinerary", "solotravel"),
    ),
    "temple_morning": Writing(
        titles=(
            "{place} before the crowds 🙏",
            "Sunrise at {place} was worth the alarm",
            "The quietest hour in {city}",
            "{place}: go early, thank me later",
        ),
        body=(
            (
                "Set my alarm for 5:30 to get to {place} before the tour groups. Best decision "
                "of the whole trip.",
                "Everyone says {place} is too crowded. Not at {hour} it isn't.",
                "Came back to {place} a second time because the first visit felt rushed.",
            ),
            (
                "The light through the gates was soft and gold, and you could hear birds and "
                "someone sweeping leaves.",
                "There's a small path off to the left that most people walk straight past. "
                "Take it, it winds up the hill to a view over {city}.",
                "I sat on the steps for half an hour just watching the mist lift. No photos "
                "do it justice, but I tried 📷",
            ),
            (
                "Tip: wear shoes you can slip off, and carry some cash for the little shrines "
                "and the tea stall.",
                "Tip: weekdays are much calmer, and autumn and spring are busiest.",
                "",
            ),
            (
                "Afterwards we found a tiny breakfast place nearby, {price} for a simple set "
                "and the best tea of my life 🍵",
                "Then back to the hotel for a nap before the rest of {city} woke up 😴",
                "Still thinking about that morning.",
            ),
        ),
        tags=("travel", "{city_tag}", "{region}", "temple", "sunrise", "slowtravel"),
    ),
    "slow_lake": Writing(
        titles=(
            "Slow days by the water in {city} 🌿",
            "I stayed a week in {city} and did nothing",
            "{place} is the reset I needed",
            "Cycling around {place} 🚲",
        ),
        body=(
            (
                "Planned two nights in {city}, stayed seven. That's the kind of place it is.",
                "After a year of working too much, {days} quiet days by {place} was exactly "
                "what I needed.",
                "No itinerary, no alarms, just the lake and a lot of tea.",
            ),
            (
                "We rented e-bikes for the day and rode along {place}. Flat, easy, and you "
                "can stop at any café along the way.",
                "Mornings were for walking the old streets, afternoons for reading by the "
                "water, evenings for whatever smelled good at the market.",
                "The guesthouse had a tiny courtyard with flowers everywhere and a cat that "
                "adopted us on day one 🐈",
            ),
            (
                "🏡 Stayed in a family-run guesthouse, {stay} a night with breakfast.",
                "☀️ Sunscreen! The altitude makes the sun much stronger than you think.",
                "🌧 It rained one afternoon and honestly the mist on the hills was magic.",
            ),
            (
                "If you need a break from big cities, this is it.",
                "I'd go back tomorrow.",
                "Already missing the slowness.",
            ),
        ),
        tags=("travel", "{city_tag}", "{region}", "slowtravel", "lakeview", "digitaldetox"),
    ),
    "seaside": Writing(
        titles=(
            "Sea, sun and {city} 🌊",
            "The best sunset spot in {city}",
            "{place} is prettier than the photos",
            "Beach day in {city} ☀️",
        ),
        body=(
            (
                "Spent the afternoon at {place} {with} and stayed until the sun went down.",
                "Didn't expect {city} to have such a lovely coast. We walked for hours.",
                "Found this spot by accident while looking for a café. Best accident ever.",
            ),
            (
                "The water turns gold right before sunset, and everyone just stops and "
                "watches. Nobody talks.",
                "Bring something to sit on and a snack. There are a few stalls but they close "
                "early.",
                "The walk along the coast road is easy and flat, with benches every few "
                "hundred metres.",
            ),
            (
                "🌅 Sunset was around 6pm when we went, check before you go.",
                "🚌 Easy to reach by bus from the centre, about 30 minutes.",
                "🦀 There's a seafood place at the end of the road, about {price} a person.",
            ),
            (
                "Adding this to my favourite places list.",
                "Pure happiness for a few hours.",
                "Already planning to come back in summer.",
            ),
        ),
        tags=("travel", "{city_tag}", "{region}", "sunset", "beach", "seaside"),
    ),
    "cafe_hop": Writing(
        titles=(
            "3 cafés in {city} worth the detour ☕",
            "My favourite café in {city} right now",
            "Café hopping around {place}",
            "A cosy corner in {city} 🤎",
        ),
        body=(
            (
                "Spent Saturday café hopping around {place} and I have thoughts ☕",
                "Found a new favourite café and I'm a little scared to share it in case it "
                "gets busy 🤫",
                "Rainy day plan: one café, one book, three hours.",
            ),
            (
                "☕ The oat flat white was silky and not too sweet. They roast their own beans "
                "in the back.",
                "☕ Order the seasonal special. This month it's osmanthus latte and it smells "
                "like autumn.",
                "☕ Hand-drip from a tiny counter, the owner chats you through every bean.",
            ),
            (
                "🥐 The almond croissant sells out by noon, so go early.",
                "🪴 Plants everywhere, big windows, and music you can actually hear yourself "
                "think over.",
                "💻 Good wifi and plugs, but they ask you not to work at weekends, which I "
                "respect.",
            ),
            (
                "About {price} for coffee and a pastry.",
                "Tell them I sent you 😄",
                "Which café should I try next? Drop your favourites 👇",
            ),
        ),
        tags=("coffee", "cafe", "{city_tag}", "cafehopping", "weekend", "citylife"),
    ),
    "night_walk": Writing(
        titles=(
            "{city} after dark 🌃",
            "A night walk around {place}",
            "Why {city} is better at night",
            "Evening wander: {place} ✨",
        ),
        body=(
            (
                "{city} at night is a whole different city. We walked for three hours and "
                "didn't want to stop.",
                "Finished work late and went for a walk around {place}. Best idea I've had "
                "all week.",
                "Night walks are my favourite way to get to know a new neighbourhood.",
            ),
            (
                "Every window was lit up, the street food stalls were out, and the air smelled "
                "like grilled skewers and rain.",
                "The old streets get quiet after nine and the lanterns come on. It feels like "
                "a film set.",
                "We got lost on purpose and ended up at a tiny bar with six seats.",
            ),
            (
                "📸 Bring a phone with a good night mode, the reflections are unreal.",
                "🚶 It's safe and busy until late, but the metro stops around 11.",
                "",
            ),
            (
                "Tell me your favourite night walk spot 👇",
                "Going again this weekend.",
                "Cities at night >>>",
            ),
        ),
        tags=("citylife", "{city_tag}", "nightwalk", "nightview", "cityscape", "weekend"),
    ),
    "cycling": Writing(
        titles=(
            "Seeing {city} by bike 🚲",
            "The best bike loop in {city}",
            "Sunday ride past {place}",
            "Why I sold my car and bought a bike",
        ),
        body=(
            (
                "Took the bike out early this morning before the traffic. {city} is so much "
                "better at 15 km/h.",
                "A year of commuting by bike in {city}, and here's what I've learned.",
                "Sunday ride {with}: coffee, pastries, and a very long way home.",
            ),
            (
                "The route along {place} is flat and mostly bike lane, with great stops for "
                "coffee.",
                "Shared bikes are everywhere and cost almost nothing. Scan, ride, park, done.",
                "I put a basket on the front and now I can do the grocery run too 🧺",
            ),
            (
                "🪖 Wear a helmet, and a light if you're out after dark.",
                "☀️ Go early in summer, it gets hot fast.",
                "",
            ),
            (
                "Happy legs, happy head.",
                "Anyone want to join next weekend?",
                "Where should I ride next?",
            ),
        ),
        tags=("cycling", "{city_tag}", "citylife", "weekend", "bikelife", "healthyhabits"),
    ),
    "night_market": Writing(
        titles=(
            "Night market eats in {city} 🏮",
            "Everything I ate at {place} tonight",
            "{city}'s night market is a must",
            "Lanterns, skewers and good company",
        ),
        body=(
            (
                "Went to the night market near {place} hungry and left unable to move 😂",
                "The lanterns were up for the festival and the whole street glowed red.",
                "If you only have one evening in {city}, spend it here.",
            ),
            (
                "Top picks: grilled squid, sticky rice balls, and a fresh fruit tea to cool "
                "the chilli down.",
                "Go with friends and share everything. Most snacks are small and cheap.",
                "The stall with the longest line had the best skewers, no contest.",
            ),
            (
                "💰 We spent about {price} each and tried everything.",
                "⏰ It gets busy after 8, go around 7 for a calmer look.",
                "",
            ),
            (
                "Already planning the next visit.",
                "What should I try next time?",
                "My stomach says thank you.",
            ),
        ),
        tags=("nightmarket", "{city_tag}", "streetfood", "foodie", "citylife", "lanterns"),
    ),
}
