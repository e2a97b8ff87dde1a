"""English notes about food and drink."""

from __future__ import annotations

from redleaf.demo.texts.writing import Writing

WRITINGS: dict[str, Writing] = {
    "hotpot": Writing(
        titles=(
            "{city} hotpot that locals queue for 🌶️",
            "My first real hotpot in {city}",
            "Hotpot night {with} 🔥",
            "How to order hotpot like a local",
            "Spicy or clear broth? Why not both",
        ),
        body=(
            (
                "Tried proper hotpot in {city} tonight and my lips are still tingling 🌶️",
                "Hotpot {with} is the best kind of evening. Three hours, zero regrets.",
                "A local friend took me to her favourite hotpot place and ordered for me. "
                "Game changer.",
            ),
            (
                "We got the split pot: fiery mala on one side, mushroom broth on the other. "
                "Perfect if your group can't agree.",
                "Must orders: {dish}, {dish2} and hand-sliced beef. Dip in sesame oil with "
                "garlic and coriander.",
                "The {dish} only needs about 15 seconds. Seven up, seven down, as the waiter "
                "showed us.",
            ),
            (
                "💡 Ask for 'weila' (微辣) if you're new to Sichuan spice. Even that is a lot!",
                "💡 Order a cold soy milk or herbal tea. Beer makes the burn worse, trust me.",
                "💡 Go before 6pm or expect to wait an hour with a number.",
            ),
            (
                "About {price} a person and we were stuffed.",
                "Already craving it again.",
                "What's your must-order at hotpot? 👇",
            ),
        ),
        tags=("hotpot", "foodie", "{city_tag}", "sichuanfood", "spicyfood", "chinesefood"),
        words={
            "dish": ("beef tripe", "duck intestine", "shrimp paste", "lotus root"),
            "dish2": ("fried dough sticks", "potato slices", "quail eggs", "enoki mushrooms"),
        },
    ),
    "noodles": Writing(
        titles=(
            "The noodle shop I'd fly back for 🍜",
            "{price} for the best bowl in {city}",
            "Breakfast noodles in {city}",
            "Found my new comfort food",
        ),
        body=(
            (
                "There's a tiny noodle shop near {place} with four tables and a queue out the "
                "door every morning.",
                "Noodles for breakfast is my new personality.",
                "Rainy day, big bowl, extra chilli oil. Nothing better.",
            ),
            (
                "I had the {noodle}. Springy noodles, a broth that's clearly been going all "
                "night, and a soft egg on top.",
                "The {noodle} comes with a mountain of spring onion and pickled greens. Mix "
                "everything before the first bite.",
                "The owner has been pulling noodles by hand for 20 years. You can watch "
                "through the window.",
            ),
            (
                "Add the chilli oil on the table, it's homemade and fragrant, not just hot.",
                "Ask for 'extra noodles' (加面) for a couple of yuan more.",
                "",
            ),
            (
                "Only {price}. Unreal.",
                "Going back tomorrow, no shame.",
                "Where's your favourite noodle spot?",
            ),
        ),
        tags=("noodles", "foodie", "{city_tag}", "breakfast", "comfortfood", "chinesefood"),
        words={
            "noodle": (
                "beef noodle soup",
                "dan dan noodles",
                "spicy chongqing xiaomian",
                "scallion oil noodles",
            ),
        },
    ),
    "dumplings": Writing(
        titles=(
            "Soup dumplings 101 🥟",
            "I made xiaolongbao from scratch!",
            "The dumpling spot near {place}",
            "How to eat xiaolongbao without burns",
        ),
        body=(
            (
                "Soup dumplings are the perfect food and I will not be taking questions.",
                "Finally tried the famous xiaolongbao place near {place}. Worth the 40 minute "
                "wait.",
                "Spent Sunday afternoon folding dumplings {with}. 18 pleats each, we tried 😂",
            ),
            (
                "How to eat one: lift it gently into your spoon, nibble a small hole, sip the "
                "soup, then dip in black vinegar with ginger.",
                "The wrappers were thin enough to see the soup moving inside. The pork filling "
                "was sweet and rich.",
                "Crab and pork was my favourite, but the plain pork ones are the classic for "
                "a reason.",
            ),
            (
                "⚠️ The soup is HOT. Do not put the whole thing in your mouth. Learned that "
                "the hard way.",
                "A basket of eight was {price}, so order more than you think.",
                "",
            ),
            (
                "Dumpling lovers, where should I go next?",
                "Happy belly, happy weekend.",
                "Saving this for my next trip.",
            ),
        ),
        tags=("dumplings", "xiaolongbao", "foodie", "{city_tag}", "chinesefood", "homecooking"),
    ),
    "dimsum": Writing(
        titles=(
            "Dim sum morning in {city} 🫖",
            "Everything we ordered at yum cha",
            "Yum cha for beginners",
            "The egg tarts here are unreal",
        ),
        body=(
            (
                "Sunday yum cha {with}. We ordered way too much, as you should.",
                "Got to the teahouse at {hour} and it was already full of grandparents reading "
                "the paper. The best sign.",
                "My first proper dim sum in {city} and I get the hype now.",
            ),
            (
                "Har gow with the shrimp showing through, siu mai, char siu buns, rice rolls "
                "and the softest egg tarts.",
                "Tap two fingers on the table when someone pours your tea. It means thank you.",
                "The turnip cake was crispy outside and soft inside, my surprise favourite.",
            ),
            (
                "About {price} each for a feast.",
                "Go early, the best baskets run out.",
                "",
            ),
            (
                "What's your dim sum order?",
                "I need a nap now 😴",
                "Adding this to my Sunday routine.",
            ),
        ),
        tags=("dimsum", "yumcha", "{city_tag}", "foodie", "breakfast", "cantonesefood"),
    ),
    "coffee": Writing(
        titles=(
            "Latte art that made my morning ☕",
            "The flat white I keep coming back for",
            "A coffee guide to {city}",
            "Is this the best latte in {city}?",
        ),
        body=(
            (
                "Look at this heart. I didn't want to drink it.",
                "Morning ritual: one latte, ten quiet minutes, then the world.",
                "I've tried maybe thirty cafés in {city} and this one is still my number one.",
            ),
            (
                "They use a local roast with notes of chocolate and cherry, and the milk is "
                "steamed perfectly silky.",
                "I went for the oat latte. Barely sweet, really smooth, and the foam held the "
                "pattern to the last sip.",
                "The barista poured a tulip without even looking. I was mesmerised.",
            ),
            (
                "Pair it with a croissant, they bake them in-house every morning 🥐",
                "Quiet on weekday mornings, very busy on Saturdays.",
                "",
            ),
            (
                "About {price} for a latte.",
                "Coffee people, what's your go-to order?",
                "Morning made ☀️",
            ),
        ),
        tags=("coffee", "latteart", "cafe", "{city_tag}", "morningroutine", "coffeetime"),
    ),
    "brunch": Writing(
        titles=(
            "Weekend brunch goals 🥑",
            "Brunch near {place} you'll love",
            "Sunday brunch {with}",
            "Avocado toast worth the hype?",
        ),
        body=(
            (
                "Brunch is my love language, and this place speaks it fluently.",
                "Slow Sunday, sunny window seat, big plate of food. Perfect.",
                "We booked a table near {place} and stayed three hours.",
            ),
            (
                "Avocado on sourdough with chilli flakes, a runny egg and little tomatoes on "
                "the side. Simple, but everything was fresh.",
                "Fresh orange juice, fluffy eggs and toast with real butter. No notes.",
                "The pancakes were thick and soft with berries and maple syrup on the side 🥞",
            ),
            (
                "Book ahead at weekends, walk-ins wait a long time.",
                "Portions are big, share a sweet and a savoury dish.",
                "",
            ),
            (
                "About {price} a person.",
                "Where should we brunch next?",
                "Happy weekend everyone ☀️",
            ),
        ),
        tags=("brunch", "weekend", "{city_tag}", "foodie", "avocadotoast", "breakfast"),
    ),
    "dessert": Writing(
        titles=(
            "Strawberry cake season 🍓",
            "I baked my first cake and it worked!",
            "The prettiest cake in {city}",
            "A little treat for a long week",
        ),
        body=(
            (
                "Bought this for no reason except that it was Wednesday.",
                "Strawberry season means strawberry cake, those are the rules.",
                "Baked this for a friend's birthday and I'm still proud of it.",
            ),
            (
                "Light sponge, fresh cream that isn't too sweet, and so many strawberries.",
                "The cream is whipped with a little mascarpone so it holds its shape. A tip I "
                "got from the comments here!",
                "Topped with blueberries and mint because that's what was in the fridge 😄",
            ),
            (
                "Recipe: 4 eggs, 80g sugar, 80g flour, 30g butter. Bake at 160°C for 35 minutes.",
                "Keep it in the fridge and eat it the same day.",
                "",
            ),
            (
                "Do you like cake with more cream or more fruit?",
                "Treat yourself this week 💝",
                "Would you try baking it?",
            ),
        ),
        tags=("dessert", "cake", "baking", "strawberry", "sweettooth", "homemade"),
    ),
}
